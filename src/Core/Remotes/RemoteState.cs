namespace Pipelines.Core.Remotes;

/// <summary>Where a lock output is.</summary>
public enum RemoteState
{
    /// <summary>In the local cache and on the remote.</summary>
    Both,
    /// <summary>Only in the local cache (push it).</summary>
    Local,
    /// <summary>Only on the remote (pull it).</summary>
    Remote,
    /// <summary>In neither (run the pipeline).</summary>
    Missing,
}
