using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Running;
using Pipelines.Cli.Experiments;
using Pipelines.Core.Caching;
using Pipelines.Core.Tables;
using Pipelines.Training;

namespace Pipelines.Cli.Plots;

/// <summary>
/// Reads what the charts need from the cache by the hashes a run log records, never from the materialised outputs:
/// those hold only the newest run's artifacts, and an older run is what a comparison is usually about.
/// </summary>
internal sealed class RunArtifactReader
{
    private readonly ArtifactCache _cache;
    private readonly string _scratch;

    public RunArtifactReader(Workspace workspace)
    {
        _cache = new ArtifactCache(new LocalArtifactStore(workspace.StateDirectory));
        _scratch = workspace.TempDirectory;
    }

    /// <summary>The loss curves of a train stage (its <c>metrics</c> file) or a pretrain stage (the metrics file inside its <c>model</c>).</summary>
    public async Task<ArtifactRead<TrainingCurve>> CurveAsync(RunRecord run, string stage, string kind, CancellationToken cancellationToken)
    {
        string output = kind == "pretrain" ? stage + ".model" : stage + ".metrics";
        if (!run.Outputs.TryGetValue(output, out var recorded))
            return ArtifactRead<TrainingCurve>.Gone($"the run log records no {output} (the stage did not finish).");
        string? blob = recorded.Hash;
        if (kind == "pretrain")
        {
            if (!await _cache.Store.ExistsAsync(recorded.Hash, cancellationToken)) return Gone(output, recorded.Hash);
            var manifest = await _cache.ReadManifestAsync(recorded.Hash, cancellationToken);
            blob = manifest.FirstOrDefault(e => e.Path.Replace('\\', '/') == PretrainStage.MetricsFile).Hash;
            if (blob is null) return ArtifactRead<TrainingCurve>.Gone($"{output} holds no {PretrainStage.MetricsFile}.");
        }
        if (!await _cache.Store.ExistsAsync(blob, cancellationToken)) return Gone(output, blob);
        await using var stream = await _cache.Store.OpenReadAsync(blob, cancellationToken);
        var metrics = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken) as JsonObject
            ?? throw new InvalidDataException($"{output} ({blob}) is not a JSON object.");
        return ArtifactRead<TrainingCurve>.Found(new TrainingCurve(Points(metrics["train_loss"]), Points(metrics["val_curve"])));
    }

    /// <summary>The trials of a tune stage, from its <c>trials</c> table.</summary>
    public async Task<ArtifactRead<SearchTrials>> TrialsAsync(RunRecord run, string stage, CancellationToken cancellationToken)
    {
        string output = stage + ".trials";
        if (!run.Outputs.TryGetValue(output, out var recorded))
            return ArtifactRead<SearchTrials>.Gone($"the run log records no {output} (the stage did not finish).");
        if (!await _cache.Store.ExistsAsync(recorded.Hash, cancellationToken))
            return ArtifactRead<SearchTrials>.Gone(GoneText(output, recorded.Hash));
        string file = await _cache.ReadablePathAsync(recorded.Hash, isDirectory: false, _scratch, cancellationToken);
        var table = await ParquetTableReader.ReadFileAsync(file, cancellationToken);
        var numbers = table.Column<long>("number");
        var states = table.StringColumn("state");
        var values = table.Column<double>("value");
        var trials = Enumerable.Range(0, table.RowCount).Select(i => new TrialPoint(numbers[i] ?? i, states[i] ?? "", values[i])).OrderBy(t => t.Number).ToArray();
        return ArtifactRead<SearchTrials>.Found(new SearchTrials(trials));
    }

    private static ArtifactRead<TrainingCurve> Gone(string output, string hash) => ArtifactRead<TrainingCurve>.Gone(GoneText(output, hash));

    private static string GoneText(string output, string hash) =>
        $"its {output} ({hash[..Math.Min(8, hash.Length)]}) is no longer in the cache (removed by `pipelines cache gc`?).";

    private static CurvePoint[] Points(JsonNode? series) =>
        series is JsonArray points
            ? points.OfType<JsonObject>()
                .Where(p => p["step"] is JsonValue s && s.TryGetValue(out int _) && p["loss"] is JsonValue l && l.GetValueKind() == JsonValueKind.Number)
                .Select(p => new CurvePoint(p["step"]!.GetValue<int>(), p["loss"]!.GetValue<double>())).ToArray()
            : [];
}
