namespace Pipelines.Stages.Dedup;

/// <summary>Two documents found similar by MinHash LSH.</summary>
/// <param name="First">Index of the first document (within-set: the smaller index; across: index in the first set).</param>
/// <param name="Second">Index of the second document (within-set: the larger index; across: index in the other set).</param>
/// <param name="EstimatedJaccard">Fraction of equal MinHash values.</param>
/// <param name="ExactJaccard">Jaccard of the shingle sets, when verification is on.</param>
public readonly record struct SimilarPair(int First, int Second, double EstimatedJaccard, double? ExactJaccard);
