namespace Pipelines.Stages.Dedup;

/// <summary>What <see cref="NearDuplicateDetector"/> found, plus similarity look-ups for the documents involved.</summary>
public sealed class NearDuplicateResult
{
    private readonly SignatureCache _cache;

    internal NearDuplicateResult(IReadOnlyList<SimilarPair> pairs, int candidatePairs, int rejected, LshParameters lsh, SignatureCache cache, int offset)
    {
        Pairs = pairs;
        CandidatePairs = candidatePairs;
        RejectedByVerification = rejected;
        Lsh = lsh;
        _cache = cache;
        Offset = offset;
    }

    /// <summary>Accepted pairs, sorted by (First, Second).</summary>
    public IReadOnlyList<SimilarPair> Pairs { get; }

    /// <summary>Distinct candidate pairs the LSH buckets produced.</summary>
    public int CandidatePairs { get; }

    /// <summary>Candidates whose exact Jaccard was below the threshold (0 without verification).</summary>
    public int RejectedByVerification { get; }

    /// <summary>The banding used.</summary>
    public LshParameters Lsh { get; }

    // Index of the other set's first document in the combined numbering (across mode), or 0.
    private int Offset { get; }

    /// <summary>
    /// Estimated and exact Jaccard of two documents that occur in <see cref="Pairs"/> (within-set numbering;
    /// in across mode <paramref name="second"/> indexes the other set). Null when either was not a candidate.
    /// </summary>
    public (double Estimated, double? Exact)? Similarity(int first, int second) => _cache.Similarity(first, second + Offset);
}
