namespace Pipelines.Stages.Bias;

/// <summary>One figure of a bias analysis: a row of the <c>metrics</c> table.</summary>
/// <param name="Attribute">Sensitive column, or <c>*</c> for table-wide figures.</param>
/// <param name="Group">Group of the attribute, or <c>*</c> for attribute-wide figures.</param>
/// <param name="Metric">Metric name, e.g. <c>selection_rate</c>.</param>
/// <param name="Value">The value.</param>
/// <param name="Subset"><c>all</c> (every row) or <c>real</c> (rows whose <c>_source</c> is real).</param>
/// <param name="Low">Lower end of the bootstrap percentile interval, or null when none was computed.</param>
/// <param name="High">Upper end of the bootstrap percentile interval, or null when none was computed.</param>
public sealed record BiasMetric(string Attribute, string Group, string Metric, double Value, string Subset, double? Low = null, double? High = null);
