namespace Pipelines.Stages.Dedup;

/// <summary>Settings of a <see cref="DedupSession"/>.</summary>
public sealed class DeduplicatorSettings
{
    /// <summary>Exact only, or exact and near duplicates. Default: near.</summary>
    public DedupMode Mode { get; set; } = DedupMode.Near;

    /// <summary>Text normalisation applied before hashing and shingling.</summary>
    public TextNormalizationOptions Normalization { get; set; } = new();

    /// <summary>MinHash LSH settings (near mode).</summary>
    public NearDuplicateOptions Near { get; set; } = new();

    /// <summary>Which row of a cluster is kept. Default: first.</summary>
    public KeepRule Keep { get; set; } = KeepRule.First;
}
