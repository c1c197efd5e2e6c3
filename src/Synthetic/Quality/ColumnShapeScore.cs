namespace Pipelines.Synthetic;

/// <summary>How well one column's distribution is reproduced (1 = identical).</summary>
/// <param name="Column">Column name.</param>
/// <param name="Metric"><c>ks_complement</c> (numeric, timestamps) or <c>tv_complement</c> (categorical, boolean).</param>
/// <param name="Score">1 − KS statistic, or 1 − total-variation distance.</param>
public sealed record ColumnShapeScore(string Column, string Metric, double Score);
