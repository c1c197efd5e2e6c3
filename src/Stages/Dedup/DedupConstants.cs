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

    /// <summary>Hyperplanes per LSH table; 0 = choose from the threshold and the row count (<see cref="HyperplaneLshPlan"/>).</summary>
    public const int DefaultLshBits = 0;

    /// <summary>LSH tables; 0 = as many as make a pair at the threshold a candidate with probability 0.99.</summary>
    public const int DefaultLshTables = 0;
    public const int MinAutoLshBits = 4;

    /// <summary>Centre the LSH hyperplanes on the mean unless the vectors are nearly all alike (‖mean‖² at or above this).</summary>
    public const double MaxCentredMeanNorm2 = 0.9;
    public const int MaxAutoLshBits = 24;
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
