namespace Pipelines.Stages.Dedup;

/// <summary>One row removed by semantic dedup and the row it duplicates.</summary>
/// <param name="ClusterId">Cluster within the table; null when the row was removed for matching the <c>across</c> table.</param>
/// <param name="KeptRow">Row index of the kept row (in the <c>across</c> table when <paramref name="Across"/>).</param>
/// <param name="RemovedRow">Row index of the removed row in the table.</param>
/// <param name="Cosine">Exact cosine of the two rows' embeddings.</param>
/// <param name="Exact">True when the two embeddings are identical.</param>
/// <param name="Across">True when the match is a row of the <c>across</c> table (contamination).</param>
/// <param name="LinkedViaCluster">True when <paramref name="Cosine"/> is below the threshold: the rows are joined only through other members of the cluster.</param>
public readonly record struct SemanticDuplicateRecord(long? ClusterId, long KeptRow, long RemovedRow, double Cosine, bool Exact, bool Across, bool LinkedViaCluster);
