using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Caching;

namespace Pipelines.Cli.Tests;

/// <summary>
/// Issue 13, defect 9: a stage whose code changed must say so by bumping its <c>Version</c>, or old cache entries
/// are served for new behaviour. The example pipelines run on fixed shipped data with fixed settings; each stage's
/// output hashes are compared with <c>StageBehaviour.json</c>, checked in beside this file together with each
/// stage's <c>Version</c> and libraries. Different bytes under the same <c>Version</c> and libraries fail and say to
/// bump it. Regenerate with <c>PIPELINES_UPDATE_BEHAVIOUR=1</c> after bumping.
/// </summary>
internal static class StageBehaviour
{
    /// <summary>Stage kinds that compute with managed code only: their bytes must match on any machine.</summary>
    private static readonly HashSet<string> ManagedKinds = ["ingest", "validate", "split", "dedup", "bias", "template"];

    private static string TablePath => Path.Combine(CliProcess.RepoRoot, "tests/Cli.Tests/StageBehaviour.json");

    /// <summary>
    /// What decides floating-point results of native and vectorised code: LibTorch's kernels and .NET's vector width
    /// follow the CPU, so results of those stages are compared only on a machine like the one that wrote the table.
    /// </summary>
    private static string Machine =>
        $"{System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, vector{Vector<byte>.Count * 8}, avx512={Vector512.IsHardwareAccelerated}, {CpuModel()}";

    /// <summary>Checks the stages of <paramref name="pipeline"/> in the workspace's lock against the table.</summary>
    public static void Check(string workspaceRoot, string pipeline)
    {
        var locked = LockFile.Load(Path.Combine(workspaceRoot, "pipelines.lock")).Stages(pipeline);
        var table = File.Exists(TablePath) ? JsonNode.Parse(File.ReadAllText(TablePath))!.AsObject() : new JsonObject();
        if (Environment.GetEnvironmentVariable("PIPELINES_UPDATE_BEHAVIOUR") == "1")
        {
            table["machine"] = Machine;
            table[pipeline] = new JsonObject(locked.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => KeyValuePair.Create(s.Key, (JsonNode?)Entry(s.Value))));
            File.WriteAllText(TablePath, table.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            return;
        }
        Assert.That(table[pipeline], Is.Not.Null, $"{TablePath} has no entry for '{pipeline}'; run the tests once with PIPELINES_UPDATE_BEHAVIOUR=1.");
        bool sameMachine = table["machine"]?.GetValue<string>() == Machine;
        var expected = table[pipeline]!.AsObject();
        var failures = new List<string>();
        var notCompared = new List<string>();
        foreach (var (id, stage) in locked.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            if (expected[id] is not JsonObject recorded)
            {
                failures.Add($"stage '{id}' ({stage.Kind}) is not in the table: add it with PIPELINES_UPDATE_BEHAVIOUR=1.");
                continue;
            }
            var now = Entry(stage);
            // On another machine only managed stages are compared, and only those whose inputs are the recorded bytes:
            // a managed stage downstream of LibTorch or ONNX Runtime gets that machine's floats as input.
            if (!sameMachine && (!ManagedKinds.Contains(stage.Kind) || !JsonNode.DeepEquals(now["inputs"], recorded["inputs"])))
            {
                notCompared.Add(id);
                continue;
            }
            if (JsonNode.DeepEquals(now["outputs"], recorded["outputs"])) continue;
            bool sameVersion = now["version"]!.GetValue<string>() == recorded["version"]?.GetValue<string>();
            bool sameLibraries = JsonNode.DeepEquals(now["libraries"], recorded["libraries"]);
            failures.Add(sameVersion && sameLibraries
                ? $"stage '{id}' (kind {stage.Kind}) writes different bytes for the same inputs, options and seed, but its Version is still \"{recorded["version"]}\": bump the stage's Version so cached results of the old code are not served, then regenerate the table with PIPELINES_UPDATE_BEHAVIOUR=1."
                : $"stage '{id}' (kind {stage.Kind}) changed {(sameVersion ? "libraries" : "Version")} and output; regenerate the table with PIPELINES_UPDATE_BEHAVIOUR=1.");
        }
        if (notCompared.Count > 0)
            TestContext.Out.WriteLine($"Behaviour table written on another machine ({table["machine"]}); not compared here ({Machine}): {string.Join(", ", notCompared)}.");
        Assert.That(failures, Is.Empty, string.Join(Environment.NewLine, failures));
    }

    private static JsonObject Entry(LockedStage stage) => new()
    {
        ["kind"] = stage.Kind,
        ["version"] = stage.Version,
        ["libraries"] = new JsonObject(stage.Libraries.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
        ["inputs"] = new JsonObject(stage.Inputs.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value.Hash))),
        ["outputs"] = new JsonObject(stage.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value.Hash))),
    };

    private static string CpuModel()
    {
        const string prefix = "model name";
        if (!File.Exists("/proc/cpuinfo")) return "unknown cpu";
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return line is null ? "unknown cpu" : line[(line.IndexOf(':') + 1)..].Trim();
    }
}
