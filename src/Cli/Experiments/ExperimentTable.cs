using Pipelines.Core.Running;
using Pipelines.Core;

namespace Pipelines.Cli.Experiments;

/// <summary>
/// <c>exp show</c>'s table (DVC's): one row per run; columns are the params whose values differ between the runs
/// (a param every run shares says nothing about why results differ) and every declared metric.
/// </summary>
internal sealed class ExperimentTable
{
    private ExperimentTable(IReadOnlyList<RunRecord> rows, IReadOnlyList<string> paramColumns, IReadOnlyList<(string Name, MetricDirection Direction)> metricColumns)
    {
        Rows = rows;
        ParamColumns = paramColumns;
        MetricColumns = metricColumns;
    }

    /// <summary>The runs, in display order.</summary>
    public IReadOnlyList<RunRecord> Rows { get; }
    /// <summary>The params that differ between the runs, sorted.</summary>
    public IReadOnlyList<string> ParamColumns { get; }
    /// <summary>Every metric any run declared, sorted, with its direction.</summary>
    public IReadOnlyList<(string Name, MetricDirection Direction)> MetricColumns { get; }

    /// <summary>Builds the table over <paramref name="runs"/> (oldest first).</summary>
    public static ExperimentTable Build(IReadOnlyList<RunRecord> runs)
    {
        var keys = runs.SelectMany(r => r.Params.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var differing = keys.Where(k => runs.Select(r => r.Params.GetValueOrDefault(k)).Distinct().Count() > 1).ToArray();
        var metrics = runs.SelectMany(r => r.Metrics).GroupBy(m => m.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Last().Value.Direction)).ToArray();
        return new ExperimentTable(runs, differing, metrics);
    }

    /// <summary>
    /// The same table sorted by a metric (best first: descending when higher is better, else ascending) or by a
    /// param column (ascending); runs without the value go last. An unknown column is the user's to fix.
    /// </summary>
    public ExperimentTable SortBy(string column)
    {
        int index = MetricColumns.Select(m => m.Name).ToList().IndexOf(column);
        if (index >= 0)
        {
            var metric = MetricColumns[index];
            var withValue = Rows.Where(r => r.Metrics.GetValueOrDefault(column).Value is not null);
            var ordered = metric.Direction == MetricDirection.Higher
                ? withValue.OrderByDescending(r => r.Metrics[column].Value)
                : withValue.OrderBy(r => r.Metrics[column].Value);
            return new ExperimentTable([.. ordered, .. Rows.Where(r => r.Metrics.GetValueOrDefault(column).Value is null)], ParamColumns, MetricColumns);
        }
        if (ParamColumns.Contains(column))
            return new ExperimentTable(Rows.OrderBy(r => r.Params.GetValueOrDefault(column) ?? "\uffff", StringComparer.Ordinal).ToArray(), ParamColumns, MetricColumns);
        string expected = MetricColumns.Count == 0 ? "these runs declared no metrics" : "metrics: " + string.Join(", ", MetricColumns.Select(m => m.Name));
        throw new UserInputException($"--sort-by {column}: no such metric or differing param. Expected one of the columns ({expected}"
            + (ParamColumns.Count > 0 ? "; params: " + string.Join(", ", ParamColumns) : "") + ").");
    }
}
