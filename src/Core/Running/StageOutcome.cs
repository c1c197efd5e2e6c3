using System.Text.Json.Nodes;

namespace Pipelines.Core.Running;

/// <summary>How one stage ended, as the run log records it.</summary>
public sealed record StageOutcome
{
    /// <summary>Stage id.</summary>
    public required string Id { get; init; }
    /// <summary>Stage kind.</summary>
    public required string Kind { get; init; }
    /// <summary>Ran, cached, failed or skipped.</summary>
    public required StageStatus Status { get; init; }
    /// <summary>Wall seconds in this run (restoring counts, not the original compute).</summary>
    public double Seconds { get; init; }
    /// <summary>Fingerprint, when it could be computed.</summary>
    public string? Fingerprint { get; init; }
    /// <summary>Why it ran or was restored (<c>new</c>, <c>params changed: a.b</c>, <c>input changed: table</c>...).</summary>
    public required string Reason { get; init; }
    /// <summary>The failure, for failed and skipped stages.</summary>
    public string? Error { get; init; }
    /// <summary>
    /// For a failure nobody foresaw (not bad input, a data check or a cancellation): the exception with its stack,
    /// kept in the run log only, so a failure seen once can still be diagnosed after the console is gone.
    /// </summary>
    public string? ErrorDetail { get; init; }
    /// <summary>
    /// Whether the stage failed because of something the user must fix in an input file or definition (a ragged CSV,
    /// an unreadable Parquet file: <see cref="UserInputException"/> or <see cref="InvalidDataException"/>), not
    /// because the stage or a data check failed. The CLI exits 2 when every failure is of this kind.
    /// </summary>
    public bool InputError { get; init; }
    /// <summary>Output hashes by name.</summary>
    public IReadOnlyDictionary<string, string> Outputs { get; init; } = new Dictionary<string, string>();
    /// <summary>Materialised output paths by name.</summary>
    public IReadOnlyDictionary<string, string> OutputPaths { get; init; } = new Dictionary<string, string>();
    /// <summary>Key figures.</summary>
    public JsonObject Summary { get; init; } = new();
    /// <summary>The metrics it declared; for a restored stage, those of the run that computed it.</summary>
    public IReadOnlyList<StageMetric> Metrics { get; init; } = [];
    /// <summary>The bound options it ran with (after <c>with_from</c>), when they could be resolved.</summary>
    public JsonObject? Options { get; init; }
    /// <summary>Ids of the stages whose outputs this one reads (the DAG's edges).</summary>
    public IReadOnlyList<string> Parents { get; init; } = [];
    /// <summary>Library versions.</summary>
    public IReadOnlyDictionary<string, string> Libraries { get; init; } = new Dictionary<string, string>();
}
