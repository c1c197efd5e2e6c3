namespace Pipelines.Core.Running;

/// <summary>How a stage ended in a run (the run log's vocabulary).</summary>
public enum StageStatus
{
    /// <summary>Computed in this run.</summary>
    Ran,
    /// <summary>Restored from the run cache.</summary>
    Cached,
    /// <summary>Threw, or was cancelled.</summary>
    Failed,
    /// <summary>Not run because an upstream stage failed.</summary>
    Skipped,
}
