using System.Text.Json.Nodes;
using Pipelines.Core.Running;

namespace Pipelines.Core.Reporting;

/// <summary>One declared metric of a run beside its value in the previous run.</summary>
internal sealed record MetricComparison(string Stage, string Metric, string Direction, double? Previous, double? Current)
{
    /// <summary>Current minus previous, when both exist.</summary>
    public double? Change => Previous is { } p && Current is { } c ? c - p : null;

    /// <summary>"better", "worse" or "same" by the metric's direction; empty when either value or a direction is missing.</summary>
    public string Verdict => (Change, Direction) switch
    {
        (null, _) or (_, "none") => "",
        (0, _) => "same",
        ( > 0, "higher") or ( < 0, "lower") => "better",
        _ => "worse",
    };

    /// <summary>Every metric of <paramref name="log"/>'s stages (and of the previous run's, where this run lacks it).</summary>
    public static List<MetricComparison> Of(JsonObject log, JsonObject? previous)
    {
        var current = Read(RunRecord.Parse(log));
        var before = previous is null ? new() : Read(RunRecord.Parse(previous));
        var rows = current.Select(c => new MetricComparison(c.Key.Stage, c.Key.Metric, c.Value.Direction, before.GetValueOrDefault(c.Key).Value, c.Value.Value)).ToList();
        rows.AddRange(before.Where(b => !current.ContainsKey(b.Key)).Select(b => new MetricComparison(b.Key.Stage, b.Key.Metric, b.Value.Direction, b.Value.Value, null)));
        return rows;
    }

    private static Dictionary<(string Stage, string Metric), (string Direction, double? Value)> Read(RunRecord run) =>
        run.Metrics.ToDictionary(m => (m.Key[..m.Key.IndexOf('.', StringComparison.Ordinal)], m.Key[(m.Key.IndexOf('.', StringComparison.Ordinal) + 1)..]),
            m => (m.Value.Direction switch { MetricDirection.Higher => "higher", MetricDirection.Lower => "lower", _ => "none" }, m.Value.Value));
}
