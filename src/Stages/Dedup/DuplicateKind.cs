namespace Pipelines.Stages.Dedup;

/// <summary>How a removed row matched the row that was kept.</summary>
public enum DuplicateKind
{
    /// <summary>Identical after normalisation.</summary>
    Exact,

    /// <summary>Similar by MinHash LSH (and exact Jaccard, when verified).</summary>
    Near,
}
