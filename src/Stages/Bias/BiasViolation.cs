using System.Globalization;

namespace Pipelines.Stages.Bias;

/// <summary>A threshold a metric broke, or whose interval straddles it.</summary>
/// <param name="Name">Threshold name (<c>disparate_impact_min</c>, <c>parity_difference_max</c>, <c>min_group_share</c>).</param>
/// <param name="Attribute">Sensitive column.</param>
/// <param name="Group">Group, or <c>*</c>.</param>
/// <param name="Subset"><c>all</c> or <c>real</c>.</param>
/// <param name="Value">The metric's value.</param>
/// <param name="Threshold">The limit it broke.</param>
/// <param name="Verdict">Broken (whole interval beyond the limit) or inconclusive (interval straddles it).</param>
/// <param name="Low">Lower end of the metric's interval, or null.</param>
/// <param name="High">Upper end of the metric's interval, or null.</param>
public sealed record BiasViolation(string Name, string Attribute, string Group, string Subset, double Value, double Threshold,
    BiasVerdict Verdict = BiasVerdict.Broken, double? Low = null, double? High = null)
{
    /// <summary>One line for logs and errors.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{(Verdict == BiasVerdict.Inconclusive ? "inconclusive " : string.Empty)}{Name}: {Attribute}{(Group == "*" ? string.Empty : "=" + Group)} ({Subset}) is {Value:0.####}, limit {Threshold:0.####}{(Low is { } l && High is { } h ? string.Create(CultureInfo.InvariantCulture, $", interval [{l:0.####}, {h:0.####}]") : string.Empty)}");
}
