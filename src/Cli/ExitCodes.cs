namespace Pipelines.Cli;

/// <summary>The exit codes of every verb (ARCHITECTURE §6).</summary>
public static class ExitCodes
{
    /// <summary>Everything succeeded.</summary>
    public const int Ok = 0;
    /// <summary>A stage failed, a data check failed, or the run was cancelled.</summary>
    public const int StageFailed = 1;
    /// <summary>The user's input is invalid (pipeline, options, files).</summary>
    public const int InvalidInput = 2;
}
