namespace Pipelines.Stages.Bias;

/// <summary>What a broken threshold does.</summary>
public enum ViolationAction
{
    /// <summary>Log a warning; the stage succeeds.</summary>
    Warn,

    /// <summary>Fail the stage (after writing the report and metrics).</summary>
    Fail,
}
