namespace Pipelines.Core.Running;

/// <summary>
/// Decides where a stage runs (ARCHITECTURE §9): given a request, runs the stage and puts its outputs in the
/// artifact store. The runner decides what runs; executors never share in-memory objects with it.
/// </summary>
public interface IStageExecutor
{
    /// <summary>Runs the stage described by <paramref name="request"/>.</summary>
    Task<StageRunResult> ExecuteAsync(StageRunRequest request, StageRunCallbacks callbacks, CancellationToken cancellationToken);
}
