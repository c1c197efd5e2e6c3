using Pipelines.Core.Caching;

namespace Pipelines.Core.Cards;

/// <summary>
/// The stages a card covers, from <c>pipelines.lock</c>: the target stage, everything its inputs came from, and the
/// stages that examined that data or the target's outputs (bias checks, the search, evaluation), in dependency order.
/// </summary>
public sealed class CardLineage
{
    private CardLineage(string pipeline, LineageStage target, IReadOnlyList<LineageStage> stages, IReadOnlySet<string> ancestors)
    {
        Pipeline = pipeline;
        Target = target;
        Stages = stages;
        _ancestors = ancestors;
    }

    private readonly IReadOnlySet<string> _ancestors;

    /// <summary>The pipeline's name.</summary>
    public string Pipeline { get; }

    /// <summary>The stage the card is about (a <c>train</c> stage).</summary>
    public LineageStage Target { get; }

    /// <summary>Every stage covered, in dependency order (ties by id).</summary>
    public IReadOnlyList<LineageStage> Stages { get; }

    /// <summary>The covered stages of a kind, in dependency order.</summary>
    public IEnumerable<LineageStage> OfKind(string kind) => Stages.Where(s => s.Kind == kind);

    /// <summary>Whether the target's data passed through <paramref name="stage"/> (rather than the stage only examining it).</summary>
    public bool FeedsTarget(LineageStage stage) => _ancestors.Contains(stage.Id);

    /// <summary>The stage that produced an input reference (<c>dedup.table</c>), or null for a file.</summary>
    public LineageStage? Producer(string? reference) =>
        reference is null ? null : Stages.FirstOrDefault(s => reference.StartsWith(s.Id + ".", StringComparison.Ordinal) && s.Locked.Outputs.ContainsKey(reference[(s.Id.Length + 1)..]));

    /// <summary>Loads the lineage of <paramref name="targetId"/> in <paramref name="pipeline"/> from the workspace's lock and cache.</summary>
    /// <exception cref="UserInputException">The lock has no such pipeline or stage.</exception>
    public static async Task<CardLineage> LoadAsync(Workspace workspace, string pipeline, string targetId, CancellationToken cancellationToken = default)
    {
        var lockFile = LockFile.Load(workspace.LockFilePath);
        var locked = lockFile.Stages(pipeline);
        if (locked.Count == 0)
            throw new UserInputException($"{workspace.LockFilePath} records no pipeline '{pipeline}'. Run it first (pipelines run), or name one of: {string.Join(", ", lockFile.Pipelines)}.");
        if (!locked.ContainsKey(targetId))
            throw new UserInputException($"pipeline '{pipeline}' has no stage '{targetId}' in {workspace.LockFilePath}. Expected one of: {string.Join(", ", locked.Keys)}.");

        if (locked[targetId].Kind != "train")
        {
            var trained = locked.Where(s => s.Value.Kind == "train").Select(s => s.Key).ToList();
            throw new UserInputException($"stage '{targetId}' is {Article(locked[targetId].Kind)} {locked[targetId].Kind} stage: a card describes a trained stage, such as {(trained.Count == 0 ? "a train stage" : string.Join(", ", trained))}.");
        }

        var ancestors = Ancestors(locked, targetId);
        var lineage = new HashSet<string>(ancestors, StringComparer.Ordinal) { targetId };
        // One step out: the checks that read only what the target was built from, and every stage that reads what it wrote
        // (an eval that also scores a second model for comparison).
        var covered = new HashSet<string>(lineage, StringComparer.Ordinal);
        foreach (var (id, stage) in locked)
        {
            var producers = stage.Inputs.Values.Select(i => ProducerId(locked, i.Reference)).ToList();
            bool readsTarget = producers.Contains(targetId);
            if (readsTarget || (producers.Any(p => p is not null) && producers.All(p => p is null || lineage.Contains(p)))) covered.Add(id);
        }

        var cache = new ArtifactCache(new LocalArtifactStore(workspace.StateDirectory));
        var stages = new List<LineageStage>();
        foreach (var id in TopologicalOrder(locked, covered))
        {
            var entry = await cache.Store.GetRunCacheEntryAsync(locked[id].Fingerprint, cancellationToken).ConfigureAwait(false);
            stages.Add(new LineageStage(id, locked[id], entry, cache, workspace.TempDirectory));
        }
        return new CardLineage(pipeline, stages.Single(s => s.Id == targetId), stages, ancestors);
    }

    private static string Article(string word) => word.Length > 0 && "aeiou".Contains(word[0], StringComparison.Ordinal) ? "an" : "a";

    /// <summary>The id of the stage whose output <paramref name="reference"/> names (<c>dedup</c> of <c>dedup.table</c>), or null for a file.</summary>
    private static string? ProducerId(IReadOnlyDictionary<string, LockedStage> locked, string reference)
    {
        int dot = reference.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0) return null;
        string id = reference[..dot];
        return locked.TryGetValue(id, out var producer) && producer.Outputs.ContainsKey(reference[(dot + 1)..]) ? id : null;
    }

    private static HashSet<string> Ancestors(IReadOnlyDictionary<string, LockedStage> locked, string targetId)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([targetId]);
        while (pending.TryPop(out var id))
        {
            var sources = locked[id].Inputs.Values.Select(i => i.Reference);
            if (locked[id].OptionsFrom is { } optionsFrom) sources = sources.Append(optionsFrom.Reference); // the search that chose its params
            foreach (var reference in sources)
                if (ProducerId(locked, reference) is { } producer && found.Add(producer))
                    pending.Push(producer);
        }
        return found;
    }

    private static List<string> TopologicalOrder(IReadOnlyDictionary<string, LockedStage> locked, IReadOnlySet<string> covered)
    {
        var order = new List<string>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        while (order.Count < covered.Count)
        {
            var ready = covered.Where(id => !placed.Contains(id) && locked[id].Inputs.Values
                    .Select(i => ProducerId(locked, i.Reference)).All(p => p is null || !covered.Contains(p) || placed.Contains(p)))
                .Order(StringComparer.Ordinal).ToList();
            foreach (var id in ready) { order.Add(id); placed.Add(id); }
        }
        return order;
    }
}
