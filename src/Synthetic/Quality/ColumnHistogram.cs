namespace Pipelines.Synthetic;

/// <summary>Shares of rows per bin (numbers) or category, real vs synthetic, for the report's charts.</summary>
/// <param name="Column">Column name.</param>
/// <param name="Bins">Bin lower edges or category labels (at most the 30 most frequent categories).</param>
/// <param name="Real">Share of real rows per bin.</param>
/// <param name="Synthetic">Share of synthetic rows per bin.</param>
public sealed record ColumnHistogram(string Column, IReadOnlyList<string> Bins, IReadOnlyList<double> Real, IReadOnlyList<double> Synthetic);
