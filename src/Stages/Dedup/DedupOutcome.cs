namespace Pipelines.Stages.Dedup;

/// <summary>The result of a <see cref="DedupSession"/>: which rows go, why, and the clusters found.</summary>
public sealed class DedupOutcome
{
    internal DedupOutcome(bool[] removed, IReadOnlyList<DuplicateRecord> records, IReadOnlyList<DuplicateCluster> clusters, NearDuplicateResult? within, NearDuplicateResult? across, IReadOnlyList<SimilarPair> nearPairs)
    {
        NearPairs = nearPairs;
        Removed = removed;
        Records = records;
        Clusters = clusters;
        Within = within;
        Across = across;
    }

    /// <summary>Rows in the table.</summary>
    public int RowsIn => Removed.Count;

    /// <summary>Rows kept.</summary>
    public int RowsOut => Removed.Count - Records.Count;

    /// <summary>Per row: whether it is removed.</summary>
    public IReadOnlyList<bool> Removed { get; }

    /// <summary>One record per removed row, ordered by removed row.</summary>
    public IReadOnlyList<DuplicateRecord> Records { get; }

    /// <summary>Clusters of two or more table rows, ordered by id.</summary>
    public IReadOnlyList<DuplicateCluster> Clusters { get; }

    /// <summary>Accepted near-duplicate pairs between table rows (row numbering, First &lt; Second), one per distinct-text pair.</summary>
    public IReadOnlyList<SimilarPair> NearPairs { get; }

    /// <summary>Near-duplicate search within the table, numbered by distinct clean text (null in exact mode).</summary>
    public NearDuplicateResult? Within { get; }

    /// <summary>Near-duplicate search against the <c>across</c> table (null when none or exact mode).</summary>
    public NearDuplicateResult? Across { get; }

    /// <summary>Removed rows of the given kind (across matches excluded).</summary>
    public int Count(DuplicateKind kind) => Records.Count(r => !r.Across && r.Kind == kind);

    /// <summary>Rows removed because they match a row of the <c>across</c> table.</summary>
    public int AcrossCount => Records.Count(r => r.Across);

    /// <summary>Distinct rows of the <c>across</c> table that table rows were removed for matching (one group each).</summary>
    public int AcrossMatchedRows => Records.Where(r => r.Across).Select(r => r.KeptRow).Distinct().Count();
}
