namespace Pipelines.Synthetic;

/// <summary>The <c>synthesize</c> stage's report: what was generated, how good it is and how private.</summary>
/// <param name="Method">Generator used.</param>
/// <param name="RealRows">Rows in the real table.</param>
/// <param name="SyntheticRows">Rows generated.</param>
/// <param name="Quality">Column shapes and pair trends (null when the synthetic rows were drawn under conditions, which change the distribution on purpose).</param>
/// <param name="Privacy">Distance to closest record.</param>
public sealed record SyntheticDataReport(string Method, int RealRows, int SyntheticRows, QualityReport? Quality, PrivacyReport Privacy);
