namespace Pipelines.Stages.Dedup;

/// <summary>A group of two or more rows of the table that duplicate each other.</summary>
/// <param name="Id">Cluster id: clusters are numbered 0, 1, … in order of their first row.</param>
/// <param name="KeptRow">The row kept by the keep rule.</param>
/// <param name="Rows">All rows of the cluster, ascending.</param>
public sealed record DuplicateCluster(long Id, int KeptRow, IReadOnlyList<int> Rows);
