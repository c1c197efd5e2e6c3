namespace Pipelines.Stages.Bias;

/// <summary>A threshold a metric broke.</summary>
/// <param name="Name">Threshold name (<c>disparate_impact_min</c>, <c>parity_difference_max</c>, <c>min_group_share</c>).</param>
/// <param name="Attribute">Sensitive column.</param>
/// <param name="Group">Group, or <c>*</c>.</param>
/// <param name="Subset"><c>all</c> or <c>real</c>.</param>
/// <param name="Value">The metric's value.</param>
/// <param name="Threshold">The limit it broke.</param>
public sealed record BiasViolation(string Name, string Attribute, string Group, string Subset, double Value, double Threshold)
{
    /// <summary>One line for logs and errors.</summary>
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"{Name}: {Attribute}{(Group == "*" ? string.Empty : "=" + Group)} ({Subset}) is {Value:0.####}, limit {Threshold:0.####}");
}
