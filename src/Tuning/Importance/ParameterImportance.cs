namespace Pipelines.Tuning;

/// <summary>How much one parameter matters, as a share of the total (the shares of a study sum to 1).</summary>
/// <param name="Name">The parameter name.</param>
/// <param name="Importance">The share, in [0, 1].</param>
public sealed record ParameterImportance(string Name, double Importance);
