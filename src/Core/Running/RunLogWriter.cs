using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Running;

/// <summary>Writes <c>.pipelines/runs/&lt;run-id&gt;.json</c> and <c>latest.json</c> (ARCHITECTURE §7, §10).</summary>
internal static class RunLogWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<string> WriteAsync(Workspace workspace, string runId, string pipeline, string? pipelineFile,
        JsonObject parameters, PipelineOverrides overrides, DateTime started, DateTime finished,
        string status, IReadOnlyList<StageOutcome> stages, JsonObject environment, IReadOnlyList<string> log, CancellationToken cancellationToken)
    {
        var stageArray = new JsonArray();
        foreach (var s in stages)
        {
            var outputs = new JsonObject();
            foreach (var (name, hash) in s.Outputs)
                outputs[name] = new JsonObject { ["hash"] = hash, ["path"] = s.OutputPaths.GetValueOrDefault(name) };
            var libraries = new JsonObject();
            foreach (var (name, version) in s.Libraries) libraries[name] = version;
            stageArray.Add(new JsonObject
            {
                ["id"] = s.Id,
                ["kind"] = s.Kind,
                ["status"] = s.Status.ToString().ToLowerInvariant(),
                ["seconds"] = Math.Round(s.Seconds, 4),
                ["fingerprint"] = s.Fingerprint,
                ["reason"] = s.Reason,
                ["parents"] = new JsonArray(s.Parents.Select(x => (JsonNode?)x).ToArray()),
                ["error"] = s.Error,
                ["error_detail"] = s.ErrorDetail,
                ["outputs"] = outputs,
                ["options"] = s.Options?.DeepClone(),
                ["summary"] = s.Summary.DeepClone(),
                ["metrics"] = Metrics(s.Metrics),
                ["libraries"] = libraries,
            });
        }
        var document = new JsonObject
        {
            ["run_id"] = runId,
            ["pipeline"] = pipeline,
            ["pipeline_file"] = pipelineFile,
            ["started"] = started.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["finished"] = finished.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
            ["status"] = status,
            ["seconds"] = Math.Round((finished - started).TotalSeconds, 4),
            ["params"] = parameters.DeepClone(),
            ["overrides"] = new JsonObject
            {
                ["set"] = new JsonArray(overrides.Sets.Select(x => (JsonNode?)x).ToArray()),
                ["params_file"] = overrides.ParamsFile,
            },
            ["environment"] = environment,
            ["stages"] = stageArray,
            ["log"] = new JsonArray(log.Select(l => (JsonNode?)l).ToArray()),
        };
        Directory.CreateDirectory(workspace.RunsDirectory);
        string path = Path.Combine(workspace.RunsDirectory, runId + ".json");
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(document, Indented);
        await AtomicFile.WriteAllBytesAsync(path, bytes, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllBytesAsync(Path.Combine(workspace.RunsDirectory, "latest.json"), bytes, cancellationToken).ConfigureAwait(false);
        return path;
    }

    /// <summary>Metrics keyed by name, so a script reads <c>.stages[].metrics.accuracy.value</c>.</summary>
    private static JsonObject Metrics(IReadOnlyList<StageMetric> metrics)
    {
        var result = new JsonObject();
        foreach (var m in metrics)
        {
            result[m.Name] = new JsonObject
            {
                ["value"] = double.IsFinite(m.Value) ? JsonValue.Create(m.Value) : null, // JSON has no NaN
                ["direction"] = m.Direction.ToString().ToLowerInvariant(),
            };
        }
        return result;
    }
}
