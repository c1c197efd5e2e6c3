namespace Pipelines.Synthetic;

/// <summary>Pearson correlations among numeric columns, real and synthetic (for the heat-map pair).</summary>
/// <param name="Columns">Numeric column names, in table order.</param>
/// <param name="Real">Real correlations (row-major; NaN written as 0 when a column is constant).</param>
/// <param name="Synthetic">Synthetic correlations.</param>
public sealed record CorrelationMatrices(IReadOnlyList<string> Columns, double[][] Real, double[][] Synthetic);
