using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Running;

/// <summary>Places the outputs a recorded run produced back where that run put them, from the cache; nothing runs.</summary>
internal sealed class RunCheckout(Workspace workspace, ArtifactCache cache, RunCache runCache)
{
    /// <summary>Returns the paths placed. A stage whose outputs are no longer cached is the user's to fix (recompute with <c>run</c>).</summary>
    public async Task<IReadOnlyList<string>> CheckoutAsync(string runLogPath, CancellationToken cancellationToken)
    {
        var log = JsonNode.Parse(await File.ReadAllTextAsync(runLogPath, cancellationToken).ConfigureAwait(false))
            ?? throw new InvalidDataException($"{runLogPath}: the run log is empty.");
        string runId = log["run_id"]!.GetValue<string>();
        string pipeline = log["pipeline"]!.GetValue<string>();
        using var workspaceLock = WorkspaceLock.Acquire(workspace.StateDirectory);
        var materializer = new OutputMaterializer(cache, workspace, OutputOwnership.Load(workspace));
        var placed = new List<string>();
        foreach (var stage in log["stages"]!.AsArray())
        {
            if (stage!["status"]?.GetValue<string>() is not ("ran" or "cached") || stage["fingerprint"]?.GetValue<string>() is not { } fingerprint) continue;
            string id = stage["id"]!.GetValue<string>();
            var entry = await runCache.LocalEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false)
                ?? throw new UserInputException($"run {runId}: the outputs of stage '{id}' are no longer in the cache (removed by `cache gc`?). Run the pipeline to recompute them.");
            foreach (var (name, record) in entry.Outputs)
            {
                var port = new StagePort(name, record.Kind, Extension: record.Extension);
                var targets = new List<string> { workspace.DefaultOutputPath(pipeline, id, port) };
                if (stage["outputs"]?[name]?["path"]?.GetValue<string>() is { } recorded) targets.Add(ConfinedPath(recorded, $"run {runId}"));
                foreach (var target in targets.Distinct(StringComparer.Ordinal))
                {
                    await materializer.PlaceAsync(record.Hash, record.IsDirectory, target, cancellationToken).ConfigureAwait(false);
                    placed.Add(Path.GetRelativePath(workspace.Root, target).Replace('\\', '/'));
                }
            }
        }
        await materializer.Ownership.SaveAsync(cancellationToken).ConfigureAwait(false);
        return placed;
    }

    /// <summary>Places what each stage of the lock file records; a stage not in the local cache is named, not placed.</summary>
    public async Task<LockCheckoutResult> CheckoutLockAsync(CancellationToken cancellationToken)
    {
        var lockFile = LockFile.Load(workspace.LockFilePath);
        using var workspaceLock = WorkspaceLock.Acquire(workspace.StateDirectory);
        var materializer = new OutputMaterializer(cache, workspace, OutputOwnership.Load(workspace));
        var placed = new List<string>();
        var missing = new List<string>();
        foreach (var pipeline in lockFile.Pipelines)
        {
            foreach (var (id, stage) in lockFile.Stages(pipeline))
            {
                if (await runCache.LocalEntryAsync(stage.Fingerprint, cancellationToken).ConfigureAwait(false) is not { } entry)
                {
                    missing.Add($"{pipeline}/{id}");
                    continue;
                }
                foreach (var (name, record) in entry.Outputs)
                {
                    var port = new StagePort(name, record.Kind, Extension: record.Extension);
                    var targets = new List<string> { workspace.DefaultOutputPath(pipeline, id, port) };
                    if (stage.Outputs.TryGetValue(name, out var locked) && locked.Path.Length > 0) targets.Add(ConfinedPath(locked.Path, "pipelines.lock"));
                    foreach (var target in targets.Distinct(StringComparer.Ordinal))
                    {
                        await materializer.PlaceAsync(record.Hash, record.IsDirectory, target, cancellationToken).ConfigureAwait(false);
                        placed.Add(Path.GetRelativePath(workspace.Root, target).Replace('\\', '/'));
                    }
                }
            }
        }
        await materializer.Ownership.SaveAsync(cancellationToken).ConfigureAwait(false);
        return new LockCheckoutResult(placed, missing);
    }

    /// <summary>A path a run log records, held to the rules of <see cref="OutputPathRules"/>: a log is a file anyone can edit.</summary>
    private string ConfinedPath(string recorded, string source)
    {
        string full = Path.GetFullPath(Path.Combine(workspace.Root, recorded));
        string real = RealPath.Of(full), root = RealPath.Of(workspace.Root);
        bool inside = real != root && RealPath.IsWithin(real, root);
        bool inTool = RealPath.IsWithin(real, RealPath.Of(workspace.StateDirectory)) && !RealPath.IsWithin(real, RealPath.Of(workspace.OutputDirectory));
        return inside && !inTool ? full : throw new UserInputException($"{source}: the recorded output path '{recorded}' is not a place inside the workspace that outputs may go.");
    }
}
