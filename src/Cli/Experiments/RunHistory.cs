using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Running;

namespace Pipelines.Cli.Experiments;

/// <summary>The run logs of a workspace, oldest first, and the rules for naming one on the command line.</summary>
internal sealed class RunHistory
{
    private RunHistory(IReadOnlyList<RunRecord> runs) => Runs = runs;

    /// <summary>Every recorded run, oldest first (run ids start with their UTC start time, so they sort by it).</summary>
    public IReadOnlyList<RunRecord> Runs { get; }

    /// <summary>Reads every run log under <c>.pipelines/runs</c> except <c>latest.json</c> (a copy of the newest).</summary>
    public static async Task<RunHistory> LoadAsync(Workspace workspace, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        if (Directory.Exists(workspace.RunsDirectory))
        {
            foreach (var file in Directory.EnumerateFiles(workspace.RunsDirectory, "*.json").Where(f => Path.GetFileName(f) != "latest.json").Order(StringComparer.Ordinal))
            {
                runs.Add(await RunRecord.ReadAsync(file, cancellationToken));
            }
        }
        return new RunHistory(runs);
    }

    /// <summary>The runs of one pipeline; with no name, those of the newest run's pipeline.</summary>
    public IReadOnlyList<RunRecord> OfPipeline(string? pipeline)
    {
        pipeline ??= Runs.Count > 0 ? Runs[^1].Pipeline : null;
        return Runs.Where(r => r.Pipeline == pipeline).ToArray();
    }

    /// <summary>The run with this id, or the only one whose id starts with it; anything else is the user's to fix.</summary>
    public RunRecord Find(string id)
    {
        if (Runs.FirstOrDefault(r => r.RunId == id) is { } exact) return exact;
        var matches = Runs.Where(r => r.RunId.StartsWith(id, StringComparison.Ordinal)).ToArray();
        if (matches.Length == 1) return matches[0];
        string known = Runs.Count == 0 ? "none recorded yet" : string.Join(", ", Runs.TakeLast(5).Select(r => r.RunId));
        throw new UserInputException(matches.Length > 1
            ? $"run '{id}' is ambiguous: {string.Join(", ", matches.Select(r => r.RunId))}. Give more of the id."
            : $"no run '{id}'. Expected a run id from `pipelines runs` (newest: {known}).{Commands.UserErrors.DidYouMean(id, Runs.Select(r => r.RunId))}");
    }

    /// <summary>
    /// The runs to compare, oldest first: none named is the newest two (as <see cref="Pair"/>), one named is it and the
    /// newest of its pipeline, more are those runs.
    /// </summary>
    public IReadOnlyList<RunRecord> Select(IReadOnlyList<string> ids)
    {
        if (ids.Count <= 1)
        {
            var (old, @new) = Pair(ids.Count == 1 ? ids[0] : null, null);
            return old.RunId == @new.RunId ? [old] : [old, @new];
        }
        return ids.Select(Find).DistinctBy(r => r.RunId).OrderBy(r => r.RunId, StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The two runs to compare: both named; one named against the newest of its pipeline; or, with none, the
    /// newest two of the newest run's pipeline.
    /// </summary>
    public (RunRecord Old, RunRecord New) Pair(string? a, string? b)
    {
        if (a is not null && b is not null) return (Find(a), Find(b));
        if (a is not null)
        {
            var old = Find(a);
            return (old, OfPipeline(old.Pipeline)[^1]);
        }
        var runs = OfPipeline(null);
        if (runs.Count < 2)
            throw new UserInputException($"comparing needs two runs, but {(runs.Count == 0 ? "none is" : "only one is")} recorded. Run the pipeline again (e.g. with --set), or name two runs.");
        return (runs[^2], runs[^1]);
    }
}
