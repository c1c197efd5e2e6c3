namespace Pipelines.Stages.Dedup;

/// <summary>What counts as a duplicate.</summary>
public enum DedupMode
{
    /// <summary>Rows identical after normalisation.</summary>
    Exact,

    /// <summary>Exact duplicates and rows whose shingle Jaccard similarity reaches the threshold.</summary>
    Near,

    /// <summary>Rows whose embeddings (an <c>embedding_column</c>) reach a cosine threshold: duplicates by meaning.</summary>
    Semantic,
}
