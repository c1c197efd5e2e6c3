namespace Pipelines.Stages.Dedup;

/// <summary>The result of a <see cref="SemanticDedupSession"/>: which rows go, beside which rows, and the search counts.</summary>
/// <param name="Removed">Per table row: whether it is removed.</param>
/// <param name="Records">One record per removed row, ordered by removed row.</param>
/// <param name="Clusters">Clusters of two or more table rows, ordered by id.</param>
/// <param name="Within">The search within the table (over distinct embeddings not matched across).</param>
/// <param name="Across">The search against the <c>across</c> table; null without one.</param>
public sealed record SemanticDedupOutcome(IReadOnlyList<bool> Removed, IReadOnlyList<SemanticDuplicateRecord> Records, IReadOnlyList<DuplicateCluster> Clusters, SemanticDuplicateResult Within, SemanticDuplicateResult? Across)
{
    /// <summary>Rows in the table.</summary>
    public int RowsIn => Removed.Count;

    /// <summary>Rows kept.</summary>
    public int RowsOut => Removed.Count - Records.Count;

    /// <summary>Rows removed within the table whose embedding equals the kept row's.</summary>
    public int ExactCount => Records.Count(r => !r.Across && r.Exact);

    /// <summary>Rows removed within the table by cosine.</summary>
    public int SemanticCount => Records.Count(r => !r.Across && !r.Exact);

    /// <summary>Rows removed because they match a row of the <c>across</c> table.</summary>
    public int AcrossCount => Records.Count(r => r.Across);

    /// <summary>Distinct rows of the <c>across</c> table that table rows were removed for matching.</summary>
    public int AcrossMatchedRows => Records.Where(r => r.Across).Select(r => r.KeptRow).Distinct().Count();
}
