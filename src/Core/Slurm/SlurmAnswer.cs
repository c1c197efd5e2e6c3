using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pipelines.Core.Caching;
using Pipelines.Core.Internal;
using Pipelines.Core.Running;

namespace Pipelines.Core.Slurm;

/// <summary>
/// What a worker answers once a stage's outputs are in the store. It names its job and attempt
/// (<c>SLURM_RESTART_COUNT</c>), so the driver can ignore the late answer of an attempt Slurm has already requeued.
/// </summary>
public sealed record SlurmAnswer
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The Slurm job id.</summary>
    [JsonPropertyName("job_id")] public required string JobId { get; init; }
    /// <summary>The attempt: 0 for the first run of the job, n after n requeues.</summary>
    [JsonPropertyName("attempt")] public required int Attempt { get; init; }
    /// <summary>The node the attempt ran on.</summary>
    [JsonPropertyName("node")] public string? Node { get; init; }
    /// <summary>When the stage started on the node (UTC).</summary>
    [JsonPropertyName("started")] public DateTime Started { get; init; }
    /// <summary>When its outputs were stored (UTC).</summary>
    [JsonPropertyName("finished")] public DateTime Finished { get; init; }
    /// <summary>Outputs by name, already in the store.</summary>
    [JsonPropertyName("outputs")] public required IReadOnlyDictionary<string, OutputRecord> Outputs { get; init; }
    /// <summary>The stage's key figures.</summary>
    [JsonPropertyName("summary")] public JsonObject Summary { get; init; } = new();
    /// <summary>The metrics the stage declared.</summary>
    [JsonPropertyName("metrics")] public IReadOnlyList<StageMetric> Metrics { get; init; } = [];
    /// <summary>What a trial reported while it ran, replayed to the driver's study.</summary>
    [JsonPropertyName("intermediate_values")] public IReadOnlyList<IntermediateValue> IntermediateValues { get; init; } = [];
    /// <summary>Seconds the stage computed.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }

    /// <summary>The answer as the runner's result.</summary>
    public StageRunResult ToResult() => new(Outputs, (JsonObject)Summary.DeepClone(), Seconds) { Metrics = Metrics };

    /// <summary>Writes the answer to a sibling temp file and renames it over <paramref name="path"/>: a reader never sees half an answer.</summary>
    public void WriteTo(string path)
    {
        string temp = SiblingTemp.For(path);
        File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>The answer at <paramref name="path"/>, or null when there is none (or it cannot be read: it is then treated as missing).</summary>
    public static SlurmAnswer? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? JsonSerializer.Deserialize<SlurmAnswer>(File.ReadAllText(path), Json) : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException)
        {
            return null;
        }
    }
}
