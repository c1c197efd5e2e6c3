namespace Pipelines.Tuning;

/// <summary>The life-cycle state of a trial (Optuna's vocabulary).</summary>
public enum TrialState
{
    /// <summary>The trial is being evaluated.</summary>
    Running = 0,

    /// <summary>The trial finished and has a value.</summary>
    Complete = 1,

    /// <summary>The trial was stopped early by a pruner.</summary>
    Pruned = 2,

    /// <summary>The objective threw, returned NaN, or its worker died.</summary>
    Fail = 3,

    /// <summary>The trial was enqueued with fixed parameters and waits for a worker.</summary>
    Waiting = 4,
}
