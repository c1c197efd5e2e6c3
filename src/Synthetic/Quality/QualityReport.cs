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
    CorrelationMatrices Correlations)
{
    /// <summary>Pairs whose real association is at least this count in <see cref="ThresholdedPairTrendsScore"/> (SDMetrics' cut for related columns).</summary>
    public const double AssociationThreshold = 0.27;

    /// <summary>Mean pair-trend score over the pairs related in the real data (association ≥ <see cref="AssociationThreshold"/>); null when no pair is.</summary>
    public double? ThresholdedPairTrendsScore => RelatedPairs == 0 ? null : ColumnPairTrends.Where(IsRelated).Average(p => p.Score);

    /// <summary>Pairs counted in <see cref="ThresholdedPairTrendsScore"/>.</summary>
    public int RelatedPairs => ColumnPairTrends.Count(IsRelated);

    private static bool IsRelated(ColumnPairScore pair) => pair.RealAssociation >= AssociationThreshold;
}
