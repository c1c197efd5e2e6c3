namespace Pipelines.Stages.Bias;

/// <summary>The result of <see cref="BiasAnalyzer.Analyze"/>.</summary>
/// <param name="Metrics">Every figure, in a fixed order.</param>
/// <param name="Violations">Thresholds broken.</param>
/// <param name="PositiveLabel">The label used as favourable outcome, or null when none could be chosen.</param>
/// <param name="Subsets">The subsets analysed (<c>all</c>, and <c>real</c> when a <c>_source</c> column was given).</param>
public sealed record BiasAnalysis(IReadOnlyList<BiasMetric> Metrics, IReadOnlyList<BiasViolation> Violations, string? PositiveLabel, IReadOnlyList<string> Subsets)
{
    /// <summary>The value of one metric, or null.</summary>
    public double? Get(string attribute, string group, string metric, string subset = "all") =>
        Metrics.FirstOrDefault(m => m.Attribute == attribute && m.Group == group && m.Metric == metric && m.Subset == subset)?.Value;
}
