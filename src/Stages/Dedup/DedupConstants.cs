namespace Pipelines.Stages.Dedup;

/// <summary>Defaults and limits of the dedup stage and library.</summary>
internal static class DedupConstants
{
    public const double DefaultThreshold = 0.8;
    public const int DefaultNumPerm = 128;
    public const int DefaultNgramSize = 5;
    public const int MaxNumPerm = 1024;
    public const int MaxNgramSize = 32;

    /// <summary>Semantic mode: cosine at or above which embeddings are duplicates (SemDeDup's ε = 0.1).</summary>
    public const double DefaultCosineThreshold = 0.9;

    /// <summary>Hyperplanes per LSH table: unrelated vectors (cos ≈ 0) share a 14-bit code with probability 6e-5.</summary>
    public const int DefaultLshBits = 14;

    /// <summary>LSH tables: a pair at cosine 0.9 becomes a candidate with probability 0.95, at 0.95 with 0.998.</summary>
    public const int DefaultLshTables = 24;
    public const int MaxLshBits = 30;
    public const int MaxLshTables = 256;

    /// <summary>Buckets up to this size give all their pairs; bigger ones are joined to their smallest member (a star).</summary>
    public const int MaxBucketForAllPairs = 64;

    /// <summary>Documents per parallel work item when hashing.</summary>
    public const int HashingChunk = 512;

    public const int LargestClustersInReport = 20;
    public const int ExamplesPerCluster = 3;
    public const int ExampleTextLength = 300;

    /// <summary>Removed rows the report lists beside their matches, per section (exact, near, across); the duplicates table has them all.</summary>
    public const int PairsPerSectionInReport = 50;
}
