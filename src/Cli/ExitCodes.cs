namespace Pipelines.Cli;

/// <summary>The exit codes of every verb (ARCHITECTURE §6).</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Ok = 0;
    /// <summary>A stage failed, a data check failed, or the workspace could not be written.</summary>
    public const int StageFailed = 1;
    /// <summary>The user's input is invalid (pipeline, options, files).</summary>
    public const int InvalidInput = 2;
    /// <summary>The run was cancelled (Ctrl+C or SIGTERM), as shells report a SIGINT: 128 + 2.</summary>
    public const int Cancelled = 130;
}
