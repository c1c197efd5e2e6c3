namespace Pipelines.Synthetic;

/// <summary>How well the relation between two columns is reproduced (1 = identical).</summary>
/// <param name="ColumnA">First column.</param>
/// <param name="ColumnB">Second column.</param>
/// <param name="Metric"><c>correlation_similarity</c> (two numeric columns) or <c>contingency_similarity</c> (otherwise; numbers binned).</param>
/// <param name="Score">1 − |ρ_real − ρ_synthetic| / 2, or 1 − total-variation distance of the joint table.</param>
/// <param name="RealCorrelation">Pearson correlation in the real data (numeric pairs only).</param>
/// <param name="SyntheticCorrelation">Pearson correlation in the synthetic data (numeric pairs only).</param>
/// <param name="RealAssociation">How strongly the columns go together in the real data: |Pearson| for two numeric columns, Cramér's V of the (binned) contingency table otherwise.</param>
public sealed record ColumnPairScore(string ColumnA, string ColumnB, string Metric, double Score,
    double? RealCorrelation = null, double? SyntheticCorrelation = null, double RealAssociation = 0);
