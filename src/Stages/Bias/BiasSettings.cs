namespace Pipelines.Stages.Bias;

/// <summary>Settings of <see cref="BiasAnalyzer"/>.</summary>
public sealed class BiasSettings
{
    /// <summary>The favourable label; null: "1" or "true" when those are the labels, otherwise selection-rate metrics are skipped.</summary>
    public string? PositiveLabel { get; init; }

    /// <summary>Expected share of each group per attribute (for representation ratios).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> Reference { get; init; } =
        new Dictionary<string, IReadOnlyDictionary<string, double>>();

    /// <summary>Limits to check.</summary>
    public BiasThresholds Thresholds { get; init; } = new();
}
