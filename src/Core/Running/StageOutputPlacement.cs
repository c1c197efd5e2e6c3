using Pipelines.Core.Caching;

namespace Pipelines.Core.Running;

/// <summary>Where a stage's outputs appear in the workspace: placed from the cache at their default and user paths, and checked for edits.</summary>
internal sealed class StageOutputPlacement(Workspace workspace, string pipelineName, OutputMaterializer materializer)
{
    /// <summary>Places each output the stage wrote (and removes stale copies of optional outputs it did not); returns each output's path as the lock records it.</summary>
    public async Task<IReadOnlyDictionary<string, string>> PlaceAsync(PlannedStage stage, IReadOnlyDictionary<string, OutputRecord> outputs)
    {
        var paths = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (port, userPath) in stage.Outputs)
        {
            string target = workspace.DefaultOutputPath(pipelineName, stage.Id, port);
            if (!outputs.TryGetValue(port.Name, out var record))
            {
                // An optional output not written this time: a copy from an earlier run would mislead.
                materializer.Remove(target);
                if (userPath is not null) materializer.Remove(UserPath(userPath));
                continue;
            }
            await materializer.PlaceAsync(record.Hash, record.IsDirectory, target, CancellationToken.None).ConfigureAwait(false);
            paths[port.Name] = Path.GetRelativePath(workspace.Root, target).Replace('\\', '/');
            if (userPath is not null)
            {
                await materializer.PlaceAsync(record.Hash, record.IsDirectory, UserPath(userPath), CancellationToken.None).ConfigureAwait(false);
                paths[port.Name] = userPath;
            }
        }
        return paths;
    }

    /// <summary>The outputs (as <c>stage.output</c>, comma-separated) whose materialised copy is missing or differs from the cache; null when none.</summary>
    public async Task<string?> ModifiedAsync(PlannedStage stage, IReadOnlyDictionary<string, OutputRecord> outputs, CancellationToken cancellationToken)
    {
        var modified = new List<string>();
        foreach (var (port, userPath) in stage.Outputs)
        {
            if (!outputs.TryGetValue(port.Name, out var record)) continue;
            foreach (var path in new[] { workspace.DefaultOutputPath(pipelineName, stage.Id, port), userPath is null ? null : UserPath(userPath) })
            {
                if (path is null) continue;
                if (await materializer.IsModifiedAsync(record.Hash, record.IsDirectory, path, cancellationToken).ConfigureAwait(false))
                {
                    modified.Add($"{stage.Id}.{port.Name}");
                    break;
                }
            }
        }
        return modified.Count > 0 ? string.Join(", ", modified) : null;
    }

    private string UserPath(string userPath) => Path.GetFullPath(Path.Combine(workspace.Root, userPath));
}
