namespace Pipelines.Stages.Dedup;

/// <summary>One removed row and the row it duplicates.</summary>
/// <param name="ClusterId">Cluster within the table; null when the row was removed for matching the <c>across</c> table.</param>
/// <param name="KeptRow">Row index of the kept row (in the <c>across</c> table when <paramref name="Across"/>).</param>
/// <param name="RemovedRow">Row index of the removed row in the table.</param>
/// <param name="EstimatedJaccard">MinHash estimate against the kept row (1 for exact duplicates).</param>
/// <param name="ExactJaccard">Exact shingle Jaccard against the kept row, when known.</param>
/// <param name="Kind">Exact or near.</param>
/// <param name="Across">True when the match is a row of the <c>across</c> table (contamination).</param>
/// <param name="LinkedViaCluster">True when the pair (kept, removed) is below the threshold (exact Jaccard, else the estimate): the rows are joined only through other members of the cluster.</param>
public readonly record struct DuplicateRecord(long? ClusterId, long KeptRow, long RemovedRow, double EstimatedJaccard, double? ExactJaccard, DuplicateKind Kind, bool Across, bool LinkedViaCluster = false);
