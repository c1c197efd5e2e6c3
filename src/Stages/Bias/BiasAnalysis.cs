namespace Pipelines.Stages.Bias;

/// <summary>The result of <see cref="BiasAnalyzer.Analyze"/>.</summary>
/// <param name="Metrics">Every figure, in a fixed order.</param>
/// <param name="Violations">Thresholds broken or inconclusive (see <see cref="BiasViolation.Verdict"/>).</param>
/// <param name="PositiveLabel">The label used as favourable outcome, or null when none could be chosen.</param>
/// <param name="Subsets">The subsets analysed (<c>all</c>, and <c>real</c> when a <c>_source</c> column was given).</param>
/// <param name="Notes">Remarks on what was left out, e.g. groups below <c>min_group_size</c>.</param>
public sealed record BiasAnalysis(IReadOnlyList<BiasMetric> Metrics, IReadOnlyList<BiasViolation> Violations, string? PositiveLabel, IReadOnlyList<string> Subsets, IReadOnlyList<string> Notes)
{
    /// <summary>Thresholds broken (the whole interval beyond the limit).</summary>
    public IReadOnlyList<BiasViolation> Broken => Violations.Where(v => v.Verdict == BiasVerdict.Broken).ToArray();

    /// <summary>Thresholds whose interval straddles the limit.</summary>
    public IReadOnlyList<BiasViolation> Inconclusive => Violations.Where(v => v.Verdict == BiasVerdict.Inconclusive).ToArray();

    /// <summary>The value of one metric, or null.</summary>
    public double? Get(string attribute, string group, string metric, string subset = "all") => Find(attribute, group, metric, subset)?.Value;

    /// <summary>One metric row, or null.</summary>
    public BiasMetric? Find(string attribute, string group, string metric, string subset = "all") =>
        Metrics.FirstOrDefault(m => m.Attribute == attribute && m.Group == group && m.Metric == metric && m.Subset == subset);
}
