namespace Pipelines.Synthetic;

/// <summary>The marginal chosen for a column: family and KS statistic against the training values.</summary>
public sealed record MarginalSummary(string Column, MarginalFamily Family, double Ks);
