namespace Pipelines.Core.Running;

/// <summary>How a run ended.</summary>
public sealed record RunResult
{
    /// <summary>The run id (also the run log's file name).</summary>
    public required string RunId { get; init; }
    /// <summary><c>succeeded</c>, <c>failed</c> or <c>cancelled</c>.</summary>
    public required string Status { get; init; }
    /// <summary>Each stage's outcome, in plan order.</summary>
    public required IReadOnlyList<StageOutcome> Stages { get; init; }
    /// <summary>Path of the run log.</summary>
    public required string LogPath { get; init; }
    /// <summary>Path of the run's HTML report (<c>.pipelines/report.html</c>).</summary>
    public string? ReportPath { get; init; }
    /// <summary>Wall seconds of the whole run.</summary>
    public double Seconds { get; init; }
    /// <summary>Whether every stage ran or was restored.</summary>
    public bool Succeeded => Status == "succeeded";
    /// <summary>Whether the run failed and every failed stage failed on a bad input file (<see cref="StageOutcome.InputError"/>).</summary>
    public bool FailedOnInput => Status == "failed"
        && Stages.Any(s => s.Status == StageStatus.Failed)
        && Stages.Where(s => s.Status == StageStatus.Failed).All(s => s.InputError);
}
