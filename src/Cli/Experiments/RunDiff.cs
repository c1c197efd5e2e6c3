using System.Globalization;
using Pipelines.Core.Running;
using Pipelines.Core;

namespace Pipelines.Cli.Experiments;

/// <summary>One changed param: its path, both values (null where absent) and how it changed.</summary>
internal sealed record ParamChange(string Path, string? Old, string? New)
{
    /// <summary>DVC's vocabulary: added, deleted or modified.</summary>
    public string Change => Old is null ? "added" : New is null ? "deleted" : "modified";
}

/// <summary>One metric in two runs: both values and the difference new − old (null unless both exist).</summary>
internal sealed record MetricChange(string Path, double? Old, double? New, MetricDirection Direction)
{
    /// <summary>new − old, rounded to the precision the stages report at.</summary>
    public double? Change => Old is { } o && New is { } n ? Math.Round(n - o, 6) : null;

    /// <summary>better, worse or same by the metric's direction; null without a direction or a difference.</summary>
    public string? Verdict => Change is not { } c || Direction == MetricDirection.None ? null
        : c == 0 ? "same" : (c > 0) == (Direction == MetricDirection.Higher) ? "better" : "worse";

    /// <summary>The change as the table prints it: signed, with the verdict.</summary>
    public string ChangeText => Change is not { } c ? "-"
        : (c > 0 ? "+" : "") + c.ToString(CultureInfo.InvariantCulture) + (Verdict is { } v and not "same" ? $" ({v})" : "");
}

/// <summary>What differs between two runs: <c>params diff</c> and <c>metrics diff</c>.</summary>
internal static class RunDiff
{
    /// <summary>Params whose value differs; with <paramref name="all"/>, every param.</summary>
    public static IReadOnlyList<ParamChange> Params(RunRecord old, RunRecord @new, bool all) =>
        old.Params.Keys.Union(@new.Params.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(k => new ParamChange(k, old.Params.GetValueOrDefault(k), @new.Params.GetValueOrDefault(k)))
            .Where(c => all || c.Old != c.New).ToArray();

    /// <summary>Metrics whose value differs; with <paramref name="all"/>, every metric.</summary>
    public static IReadOnlyList<MetricChange> Metrics(RunRecord old, RunRecord @new, bool all) =>
        old.Metrics.Keys.Union(@new.Metrics.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(k =>
            {
                old.Metrics.TryGetValue(k, out var a);
                bool present = @new.Metrics.TryGetValue(k, out var b);
                return new MetricChange(k, a.Value, b.Value, present ? b.Direction : a.Direction);
            })
            .Where(c => all || c.Old != c.New).ToArray();
}
