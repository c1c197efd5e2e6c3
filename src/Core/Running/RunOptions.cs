namespace Pipelines.Core.Running;

/// <summary>How to run a pipeline. The runner copies these, so later changes do not affect a run in flight.</summary>
public sealed record RunOptions
{
    /// <summary>Stages computed at once; default: the number of cores.</summary>
    public int Jobs { get; init; } = Environment.ProcessorCount;
    /// <summary>Re-run every stage, ignoring the run cache.</summary>
    public bool ForceAll { get; init; }
    /// <summary>Re-run these stages (their descendants re-run only if their inputs change).</summary>
    public IReadOnlyCollection<string> ForceStages { get; init; } = [];
    /// <summary>The device stages should use.</summary>
    public ComputeDevice Device { get; init; } = ComputeDevice.Auto;
}
