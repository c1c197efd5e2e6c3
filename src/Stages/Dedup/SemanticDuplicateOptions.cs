namespace Pipelines.Stages.Dedup;

/// <summary>Settings of <see cref="SemanticDuplicateDetector"/>; copied by the detector.</summary>
public sealed class SemanticDuplicateOptions
{
    /// <summary>Cosine similarity at or above which two embeddings are duplicates, in (0, 1]. Default: 0.9.</summary>
    public double Threshold { get; set; } = DedupConstants.DefaultCosineThreshold;

    /// <summary>Random hyperplanes (sign bits) per LSH table, 1–30; 0 = choose from the threshold and the number of vectors. Default: 0.</summary>
    public int Bits { get; set; } = DedupConstants.DefaultLshBits;

    /// <summary>LSH tables (a pair is a candidate when its codes agree in any one); 0 = enough for a 0.99 candidate probability at the threshold. Default: 0.</summary>
    public int Tables { get; set; } = DedupConstants.DefaultLshTables;

    /// <summary>Seed of the hyperplanes.</summary>
    public long Seed { get; set; }

    /// <summary>Threads; -1 = all cores. Results do not depend on it.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;
}
