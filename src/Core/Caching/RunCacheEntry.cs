using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Pipelines.Core.Caching;

/// <summary>What a stage run with a given fingerprint produced: its outputs' hashes (DVC's run cache).</summary>
public sealed record RunCacheEntry
{
    /// <summary>The stage fingerprint this entry answers.</summary>
    [JsonPropertyName("fingerprint")] public required string Fingerprint { get; init; }
    /// <summary>The stage kind that produced it.</summary>
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    /// <summary>Outputs by name.</summary>
    [JsonPropertyName("outputs")] public required IReadOnlyDictionary<string, OutputRecord> Outputs { get; init; }
    /// <summary>The stage's key figures when it ran.</summary>
    [JsonPropertyName("summary")] public JsonObject? Summary { get; init; }
    /// <summary>The metrics the stage declared, so a restored stage reports the same results as the run that computed it.</summary>
    [JsonPropertyName("metrics")] public IReadOnlyList<StageMetric>? Metrics { get; init; }
    /// <summary>
    /// What the stage reported while it ran as a tuning trial (step and value), so a restored trial gives its study
    /// the same curve as a computed one; null in entries written before this was recorded.
    /// </summary>
    [JsonPropertyName("intermediate_values")] public IReadOnlyList<IntermediateValue>? IntermediateValues { get; init; }
    /// <summary>Seconds the stage took when it ran.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }
    /// <summary>When it ran (UTC).</summary>
    [JsonPropertyName("created")] public DateTime Created { get; init; }
}

/// <summary>An objective value a trial reported at a step.</summary>
public sealed record IntermediateValue([property: JsonPropertyName("step")] int Step, [property: JsonPropertyName("value")] double Value);

/// <summary>One output of a stage run: its content hash and what it is.</summary>
public sealed record OutputRecord
{
    /// <summary>Content hash (for directories, the manifest's hash).</summary>
    [JsonPropertyName("hash")] public required string Hash { get; init; }
    /// <summary>The artifact kind.</summary>
    [JsonPropertyName("kind")] public required ArtifactKind Kind { get; init; }
    /// <summary>File extension of a file artifact (<c>.parquet</c>), empty for directories.</summary>
    [JsonPropertyName("extension")] public string Extension { get; init; } = "";
    /// <summary>Whether the artifact is a directory.</summary>
    [JsonIgnore] public bool IsDirectory => Kind is ArtifactKind.Model or ArtifactKind.Report;
}
