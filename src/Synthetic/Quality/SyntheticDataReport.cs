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
}

/// <summary>Texts to read side by side: <paramref name="Real"/> and <paramref name="Synthetic"/> values of <paramref name="Column"/>.</summary>
/// <param name="Column">The generated text column.</param>
/// <param name="Real">The first real texts, in table order, of the rows the generator was conditioned on.</param>
/// <param name="Synthetic">The first generated texts, in output order.</param>
public sealed record TextSamples(string Column, IReadOnlyList<string> Real, IReadOnlyList<string> Synthetic);
