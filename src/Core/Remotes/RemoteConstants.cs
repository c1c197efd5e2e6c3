namespace Pipelines.Core.Remotes;

/// <summary>Defaults of remote transfers.</summary>
public static class RemoteConstants
{
    /// <summary>Transfers run at once by default (<c>-j</c>): enough to hide a round trip, few enough for a laptop's uplink.</summary>
    public const int DefaultJobs = 4;
}
