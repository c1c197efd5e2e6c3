namespace Pipelines.Stages.Dedup;

/// <summary>Settings of <see cref="NearDuplicateDetector"/>.</summary>
public sealed class NearDuplicateOptions
{
    /// <summary>Jaccard similarity at or above which two documents are near-duplicates. Default: 0.8.</summary>
    public double Threshold { get; set; } = DedupConstants.DefaultThreshold;

    /// <summary>MinHash permutations (signature length). Default: 128.</summary>
    public int NumPerm { get; set; } = DedupConstants.DefaultNumPerm;

    /// <summary>Words per shingle. Default: 5.</summary>
    public int NgramSize { get; set; } = DedupConstants.DefaultNgramSize;

    /// <summary>Seed of the MinHash permutations. Default: 0.</summary>
    public long Seed { get; set; }

    /// <summary>LSH bands; 0 chooses (bands, rows) from the threshold as datasketch does. Default: 0.</summary>
    public int Bands { get; set; }

    /// <summary>Signature values per band; 0 chooses them from the threshold. Default: 0.</summary>
    public int Rows { get; set; }

    /// <summary>Weight of the false-positive probability when choosing (bands, rows). Default: 0.5.</summary>
    public double FalsePositiveWeight { get; set; } = 0.5;

    /// <summary>Weight of the false-negative probability when choosing (bands, rows); raise it for recall. Default: 0.5.</summary>
    public double FalseNegativeWeight { get; set; } = 0.5;

    /// <summary>Keep a candidate pair only when the exact Jaccard of its shingle sets reaches the threshold. Default: true.</summary>
    public bool Verify { get; set; } = true;

    /// <summary>Threads to use; -1 uses all cores. Results do not depend on it. Default: -1.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;
}
