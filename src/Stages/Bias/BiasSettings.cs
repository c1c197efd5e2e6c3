namespace Pipelines.Stages.Bias;

/// <summary>Settings of <see cref="BiasAnalyzer"/>.</summary>
public sealed class BiasSettings
{
    /// <summary>The favourable label; null: "1" or "true" when those are the labels, otherwise selection-rate metrics are skipped.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>Expected share of each group per attribute (for representation ratios).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Reference { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>Per attribute, the group every other group is compared with; attributes not named use max − min over groups.</summary>
    public IReadOnlyDictionary<string, string> ReferenceGroup { get; init; } = new Dictionary<string, string>();

    /// <summary>Groups with fewer rows are reported per group but left out of between-group figures. Default: 0 (none left out).</summary>
    public int MinGroupSize { get; init; }

    /// <summary>Coverage of the bootstrap intervals. Default: 0.95.</summary>
    public double Confidence { get; init; } = BiasConstants.DefaultConfidence;

    /// <summary>Bootstrap resamples; 0 = no intervals (verdicts use the point). Default: 1000.</summary>
    public int Bootstrap { get; init; } = BiasConstants.DefaultBootstrap;

    /// <summary>Seed of the bootstrap; resample <c>b</c> uses SplitMix64 seeded with <c>seed + b</c>. Default: 0.</summary>
    public long Seed { get; init; }

    /// <summary>Threads for the bootstrap; -1 = all cores. Results do not depend on it. Default: -1.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Limits to check.</summary>
    public BiasThresholds Thresholds { get; init; } = new();
}
