using Microsoft.Extensions.Logging;

namespace Pipelines.Core.Running;

/// <summary>The in-process side of a stage run: where logs, progress and trial reports go.</summary>
public sealed record StageRunCallbacks
{
    /// <summary>Logger for the stage.</summary>
    public ILogger? Logger { get; init; }
    /// <summary>Progress sink.</summary>
    public IProgress<StageProgress>? Progress { get; init; }
    /// <summary>Trial reporter (tuning).</summary>
    public IIntermediateReporter? Reporter { get; init; }
    /// <summary>Nested stage runner.</summary>
    public IStageInvoker? Invoker { get; init; }
    /// <summary>Requested device.</summary>
    public ComputeDevice Device { get; init; }
    /// <summary>What the stage asks of the machine it runs on (a nested run gets its coordinator's); executors may ignore it.</summary>
    public Definition.StageResources Resources { get; init; } = Definition.StageResources.None;
}
