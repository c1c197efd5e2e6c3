using System.Text.Json.Serialization;

namespace Pipelines.Synthetic;

/// <summary>The <c>synthesize</c> stage's report: what was generated, how good it is and how private.</summary>
/// <param name="Method">Generator used.</param>
/// <param name="RealRows">Rows in the real table.</param>
/// <param name="SyntheticRows">Rows generated.</param>
/// <param name="Quality">Column shapes and pair trends (null when the synthetic rows were drawn under conditions, which change the distribution on purpose).</param>
/// <param name="Privacy">Distance to closest record.</param>
public sealed record SyntheticDataReport(string Method, int RealRows, int SyntheticRows, QualityReport? Quality, PrivacyReport Privacy)
{
    /// <summary>For generated text: the first generated texts beside the first real ones of the same groups (absent for tables).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TextSamples? TextSamples { get; init; }

    /// <summary>The relations kept (detected or declared): the share of real and of synthetic rows that obey each.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<RuleReport>? Rules { get; init; }

    /// <summary>The same quality scores for the real rows with every column shuffled on its own: what no joint structure at all scores.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IndependentBaseline? Baseline { get; init; }
}

/// <summary>One relation and how many rows obey it.</summary>
/// <param name="Type">functional_dependency, fixed_combinations or inequality.</param>
/// <param name="Columns">The columns it relates.</param>
/// <param name="Detected">Found in the data (true) or declared in <c>constraints:</c> (false).</param>
/// <param name="Description">What holds.</param>
/// <param name="RealShare">Share of the real rows that obey it.</param>
/// <param name="SyntheticShare">Share of the synthetic rows that obey it.</param>
public sealed record RuleReport(string Type, IReadOnlyList<string> Columns, bool Detected, string Description, double RealShare, double SyntheticShare);

/// <summary>Quality of the independent-columns baseline (each real column shuffled on its own, seeded).</summary>
/// <param name="ColumnShapesScore">Column shapes (1 by construction).</param>
/// <param name="ColumnPairTrendsScore">Pair trends over all pairs.</param>
/// <param name="ThresholdedPairTrendsScore">Pair trends over the related pairs.</param>
public sealed record IndependentBaseline(double ColumnShapesScore, double ColumnPairTrendsScore, double? ThresholdedPairTrendsScore);

/// <summary>Texts to read side by side: <paramref name="Real"/> and <paramref name="Synthetic"/> values of <paramref name="Column"/>.</summary>
/// <param name="Column">The generated text column.</param>
/// <param name="Real">The first real texts, in table order, of the rows the generator was conditioned on.</param>
/// <param name="Synthetic">The first generated texts, in output order.</param>
public sealed record TextSamples(string Column, IReadOnlyList<string> Real, IReadOnlyList<string> Synthetic);
