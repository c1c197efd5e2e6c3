using System.Globalization;
using System.Text.Json.Nodes;
namespace Pipelines.Core.Running;

/// <summary>One run log read back for comparison: what it ran with (params and options) and what it scored.</summary>
public sealed record RunRecord
{
    /// <summary>The run id (<c>20261203T125222Z-870d8b</c>).</summary>
    public required string RunId { get; init; }
    /// <summary>The pipeline's name.</summary>
    public required string Pipeline { get; init; }
    /// <summary>When it started (ISO 8601, as logged).</summary>
    public required string Started { get; init; }
    /// <summary>succeeded, failed or cancelled.</summary>
    public required string Status { get; init; }
    /// <summary>
    /// Everything it ran with, flattened: the params tree as <c>params.key</c> (as <c>${params.key}</c> reads it) and each
    /// stage's bound options as <c>stage.option</c> (as <c>--set</c> writes it).
    /// </summary>
    public required IReadOnlyDictionary<string, string> Params { get; init; }
    /// <summary>Declared metrics as <c>stage.metric</c> (stage ids hold no dot, so the first one splits them).</summary>
    public required IReadOnlyDictionary<string, RecordedMetric> Metrics { get; init; }
    /// <summary>Each stage's outputs: hash and materialised path, by <c>stage.output</c>.</summary>
    public required IReadOnlyDictionary<string, (string Hash, string? Path)> Outputs { get; init; }
    /// <summary>Each stage's kind (<c>train</c>, <c>tune</c>, ...) by stage id, in run order.</summary>
    public required IReadOnlyList<(string Stage, string Kind)> StageKinds { get; init; }

    /// <summary>Reads a run log file; a log that is not JSON is reported as damaged, naming the file.</summary>
    /// <exception cref="InvalidDataException">The file is empty or not JSON.</exception>
    public static async Task<RunRecord> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        try
        {
            var log = JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false))
                      ?? throw new InvalidDataException($"{path}: the run log is empty.");
            return Parse(log);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new InvalidDataException($"{path}: the run log is damaged ({ex.Message}).", ex);
        }
    }

    /// <summary>Reads a run log (<c>.pipelines/runs/&lt;id&gt;.json</c>); logs from before params were recorded have none.</summary>
    public static RunRecord Parse(JsonNode log)
    {
        var parameters = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (log["params"] is JsonObject tree)
            foreach (var (key, value) in ChangeExplainer.Flatten(tree))
                parameters["params." + key] = value;
        var metrics = new SortedDictionary<string, RecordedMetric>(StringComparer.Ordinal);
        var outputs = new SortedDictionary<string, (string, string?)>(StringComparer.Ordinal);
        var kinds = new List<(string, string)>();
        foreach (var stage in log["stages"]?.AsArray() ?? [])
        {
            string id = stage!["id"]!.GetValue<string>();
            kinds.Add((id, stage["kind"]?.GetValue<string>() ?? ""));
            if (stage["options"] is JsonObject options)
                foreach (var (key, value) in ChangeExplainer.Flatten(options))
                    parameters[id + "." + key] = value;
            if (stage["metrics"] is JsonObject declared)
                foreach (var (name, metric) in declared)
                    metrics[id + "." + name] = new RecordedMetric(metric?["value"]?.GetValue<double>(), ParseDirection(metric?["direction"]?.GetValue<string>()));
            if (stage["outputs"] is JsonObject produced)
                foreach (var (name, output) in produced)
                    if (output?["hash"]?.GetValue<string>() is { } hash)
                        outputs[id + "." + name] = (hash, output["path"]?.GetValue<string>());
        }
        return new RunRecord
        {
            RunId = log["run_id"]!.GetValue<string>(),
            Pipeline = log["pipeline"]!.GetValue<string>(),
            Started = log["started"]!.GetValue<string>(),
            Status = log["status"]!.GetValue<string>(),
            Params = parameters,
            Metrics = metrics,
            Outputs = outputs,
            StageKinds = kinds,
        };
    }

    private static MetricDirection ParseDirection(string? text) => text switch
    {
        "higher" => MetricDirection.Higher,
        "lower" => MetricDirection.Lower,
        _ => MetricDirection.None,
    };
}

/// <summary>A metric as a run log holds it; the value is null when there was nothing to measure.</summary>
public readonly record struct RecordedMetric(double? Value, MetricDirection Direction)
{
    /// <summary>The value as the tables print it: invariant culture, at most six decimals.</summary>
    public string Text => Value is { } v ? Math.Round(v, 6).ToString(CultureInfo.InvariantCulture) : "-";
}
