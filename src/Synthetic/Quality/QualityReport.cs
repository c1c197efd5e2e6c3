namespace Pipelines.Synthetic;

/// <summary>
/// SDMetrics-style quality of a synthetic table against the real one: column shapes, column pair
/// trends, and their mean as the overall score (all in [0, 1], higher is better).
/// </summary>
public sealed record QualityReport(
    double OverallScore,
    double ColumnShapesScore,
    double ColumnPairTrendsScore,
    IReadOnlyList<ColumnShapeScore> ColumnShapes,
    IReadOnlyList<ColumnPairScore> ColumnPairTrends,
    IReadOnlyList<ColumnHistogram> Histograms,
    CorrelationMatrices Correlations);
