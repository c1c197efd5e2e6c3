using Microsoft.Extensions.Logging;

namespace Pipelines.Core;

/// <summary>What a <see cref="StageContext"/> is made of; lets tests build contexts without a runner.</summary>
public sealed record StageContextArgs
{
    /// <summary>The stage id.</summary>
    public required string StageId { get; init; }
    /// <summary>Bound options.</summary>
    public required object Options { get; init; }
    /// <summary>Inputs by name.</summary>
    public required IReadOnlyDictionary<string, StageInput> Inputs { get; init; }
    /// <summary>Output paths by name.</summary>
    public required IReadOnlyDictionary<string, string> OutputPaths { get; init; }
    /// <summary>The stage seed.</summary>
    public long Seed { get; init; }
    /// <summary>Scratch directory.</summary>
    public required string ScratchDirectory { get; init; }
    /// <summary>Logger (null: discard).</summary>
    public ILogger? Logger { get; init; }
    /// <summary>Progress sink (null: discard).</summary>
    public IProgress<StageProgress>? Progress { get; init; }
    /// <summary>Requested device.</summary>
    public ComputeDevice Device { get; init; }
    /// <summary>Trial reporter, when the stage runs as a trial.</summary>
    public IIntermediateReporter? Reporter { get; init; }
    /// <summary>Nested stage runner.</summary>
    public IStageInvoker? Invoker { get; init; }
    /// <summary>Cancellation.</summary>
    public CancellationToken CancellationToken { get; init; }
}
