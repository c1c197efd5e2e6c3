using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Running;

/// <summary>Writes <c>.pipelines/runs/&lt;run-id&gt;.json</c> and <c>latest.json</c> (ARCHITECTURE §7, §10).</summary>
internal static class RunLogWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<string> WriteAsync(Workspace workspace, string runId, string pipeline, string? pipelineFile, DateTime started, DateTime finished,
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
                ["outputs"] = outputs,
                ["summary"] = s.Summary.DeepClone(),
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
}
