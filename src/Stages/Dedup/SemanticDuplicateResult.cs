namespace Pipelines.Stages.Dedup;

/// <summary>What a semantic search found: the verified pairs and how many candidates the LSH tables proposed.</summary>
/// <param name="Pairs">Accepted pairs, ordered by (First, Second). Within one list First &lt; Second; across lists First indexes the table, Second the other list.</param>
/// <param name="CandidatePairs">Distinct pairs that shared a bucket in at least one table (each verified once).</param>
/// <param name="RejectedByVerification">Candidates whose exact cosine was below the threshold.</param>
/// <param name="Bits">Hyperplanes per LSH table used (0 when there was nothing to search).</param>
/// <param name="Tables">LSH tables used.</param>
/// <param name="CandidateProbability">The probability that a pair at the threshold became a candidate (for its cosine after centring).</param>
public sealed record SemanticDuplicateResult(IReadOnlyList<CosinePair> Pairs, long CandidatePairs, long RejectedByVerification, int Bits, int Tables, double CandidateProbability);
