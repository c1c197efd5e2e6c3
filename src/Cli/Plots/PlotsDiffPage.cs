using System.Text.Json.Nodes;
using Pipelines.Core.Running;
using Pipelines.Cli.Experiments;
using Pipelines.Core;
using Pipelines.Core.Reporting;

namespace Pipelines.Cli.Plots;

/// <summary>
/// <c>plots diff</c>'s page: runs side by side as charts (declared metrics, training curves, the search's history),
/// built with Core's <see cref="HtmlReport"/> so it looks like the run report. A section without data says why.
/// </summary>
internal static class PlotsDiffPage
{
    /// <summary>Plotly's default colours: run i has colour i in every chart, so a run is one colour on the page.</summary>
    private static readonly string[] Palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Builds the page comparing <paramref name="runs"/> (oldest first).</summary>
    public static async Task<HtmlReport> BuildAsync(IReadOnlyList<RunRecord> runs, RunArtifactReader reader, CancellationToken cancellationToken)
    {
        var report = new HtmlReport($"Runs compared: {string.Join(" vs ", runs.Select(r => r.RunId))}");
        report.Table(["run", "pipeline", "started", "status"], runs.Select(r => (IReadOnlyList<object?>)[r.RunId, r.Pipeline, r.Started, r.Status]), "Runs (oldest first)");
        Metrics(report, runs);
        await CurvesAsync(report, runs, reader, cancellationToken);
        await SearchesAsync(report, runs, reader, cancellationToken);
        return report;
    }

    private static string Color(int run) => Palette[run % Palette.Length];

    /// <summary>Older runs draw wider lines and bigger dots, so a newer run on the same values leaves them visible as a halo.</summary>
    private static double Width(int run, int runs) => 2 + 2.0 * (runs - 1 - run) / Math.Max(1, runs - 1);

    private static double DotSize(int run, int runs) => 7 + 6.0 * (runs - 1 - run) / Math.Max(1, runs - 1);

    /// <summary>The words a reader needs beside a bar: which way is good.</summary>
    public static string DirectionText(MetricDirection direction) => direction switch
    {
        MetricDirection.Higher => "higher is better",
        MetricDirection.Lower => "lower is better",
        _ => "no better direction",
    };

    private static void Metrics(HtmlReport report, IReadOnlyList<RunRecord> runs)
    {
        var table = ExperimentTable.Build(runs);
        report.Heading("Metrics");
        if (table.MetricColumns.Count == 0) report.Paragraph("None of these runs declared a metric, so there is nothing to chart.", "warn");
        // Small charts side by side, so a page of many metrics stays short. The rule lives here, not in the shared style:
        // that style is part of every stage's report artifact, whose bytes must not change for this page's sake.
        report.Html("<style>.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(360px,1fr));gap:0 1rem}.charts .chart{height:320px}</style><div class=\"charts\">");
        foreach (var (name, direction) in table.MetricColumns)
        {
            // One trace per run, so the bars group by metric and the legend names the runs.
            var traces = new JsonArray(runs.Select((run, i) => (JsonNode?)new JsonObject
            {
                ["type"] = "bar",
                ["name"] = run.RunId,
                ["x"] = new JsonArray(name),
                ["y"] = new JsonArray(run.Metrics.TryGetValue(name, out var m) && m.Value is { } v ? v : null),
                ["marker"] = new JsonObject { ["color"] = Color(i) },
            }).ToArray());
            report.Chart($"{name} ({DirectionText(direction)})", traces, new JsonObject
            {
                ["barmode"] = "group",
                ["legend"] = new JsonObject { ["orientation"] = "h" },
            });
        }
        report.Html("</div>");

        report.Heading("Params that differ, and the metrics", 3);
        if (table.ParamColumns.Count == 0) report.Paragraph("No param or stage option differs between these runs.");
        var headers = new List<string> { "run" };
        headers.AddRange(table.ParamColumns);
        headers.AddRange(table.MetricColumns.Select(m => $"{m.Name} ({DirectionText(m.Direction)})"));
        report.Table(headers, runs.Select(run => (IReadOnlyList<object?>)
        [
            run.RunId,
            .. table.ParamColumns.Select(p => (object?)(run.Params.GetValueOrDefault(p) ?? "-")),
            .. table.MetricColumns.Select(m => run.Metrics.TryGetValue(m.Name, out var v) && v.Value is { } value ? (object?)value : "-"),
        ]));
    }

    private static async Task CurvesAsync(HtmlReport report, IReadOnlyList<RunRecord> runs, RunArtifactReader reader, CancellationToken cancellationToken)
    {
        report.Heading("Training curves");
        var stages = StagesOfKind(runs, "train", "pretrain");
        if (stages.Count == 0)
        {
            report.Paragraph("None of these runs has a train or pretrain stage, so there are no loss curves to show.", "warn");
            return;
        }
        foreach (var (stage, kind) in stages)
        {
            var traces = new JsonArray();
            var notes = new List<string>();
            for (int i = 0; i < runs.Count; i++)
            {
                if (!runs[i].StageKinds.Contains((stage, kind))) { notes.Add($"Run {runs[i].RunId} has no stage '{stage}'."); continue; }
                var read = await reader.CurveAsync(runs[i], stage, kind, cancellationToken);
                if (read.Data is not { } curve) { notes.Add($"Run {runs[i].RunId}: no curve, {read.Missing}"); continue; }
                if (SameArtifact(runs, i, kind == "pretrain" ? stage + ".model" : stage + ".metrics") is { } twin)
                    notes.Add($"Run {runs[i].RunId}'s {stage} is the same artifact as run {twin}'s (restored from the cache): their lines coincide.");
                traces.Add(Line($"{runs[i].RunId} train", runs[i].RunId, i, runs.Count, curve.Train, dashed: false));
                if (curve.Validation.Count > 0) traces.Add(Line($"{runs[i].RunId} validation", runs[i].RunId, i, runs.Count, curve.Validation, dashed: true));
            }
            report.Heading($"{stage} ({kind}): loss per step", 3);
            foreach (var note in notes) report.Paragraph(note, "warn");
            if (traces.Count > 0)
                report.Chart($"{stage}: training loss (solid) and validation loss (dotted) per step", traces, new JsonObject
                {
                    ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "step" } },
                    ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "loss (lower is better)" } },
                });
        }
    }

    private static JsonObject Line(string name, string group, int run, int runs, IReadOnlyList<CurvePoint> points, bool dashed) => new()
    {
        ["type"] = "scatter",
        ["mode"] = dashed ? "lines+markers" : "lines",
        ["name"] = name,
        ["legendgroup"] = group,
        ["x"] = new JsonArray(points.Select(p => (JsonNode?)p.Step).ToArray()),
        ["y"] = new JsonArray(points.Select(p => (JsonNode?)p.Loss).ToArray()),
        ["line"] = new JsonObject { ["color"] = Color(run), ["dash"] = dashed ? "dot" : "solid", ["width"] = Width(run, runs) },
        ["marker"] = new JsonObject { ["size"] = DotSize(run, runs) },
    };

    private static async Task SearchesAsync(HtmlReport report, IReadOnlyList<RunRecord> runs, RunArtifactReader reader, CancellationToken cancellationToken)
    {
        report.Heading("The search's history");
        var stages = StagesOfKind(runs, "tune");
        if (stages.Count == 0)
        {
            report.Paragraph("None of these runs has a tune stage, so there is no search to show.", "warn");
            return;
        }
        foreach (var (stage, _) in stages)
        {
            var traces = new JsonArray();
            var notes = new List<string>();
            var directions = new HashSet<MetricDirection>();
            for (int i = 0; i < runs.Count; i++)
            {
                var run = runs[i];
                if (!run.StageKinds.Contains((stage, "tune"))) { notes.Add($"Run {run.RunId} has no stage '{stage}'."); continue; }
                var read = await reader.TrialsAsync(run, stage, cancellationToken);
                if (read.Data is not { } search) { notes.Add($"Run {run.RunId}: no trials, {read.Missing}"); continue; }
                // best_value carries the study's direction; without it (an old log) lower is assumed, Optuna's default.
                var direction = run.Metrics.TryGetValue(stage + ".best_value", out var best) ? best.Direction : MetricDirection.Lower;
                directions.Add(direction);
                if (SameArtifact(runs, i, stage + ".trials") is { } twin)
                    notes.Add($"Run {run.RunId}'s search is the same artifact as run {twin}'s (restored from the cache): their points coincide.");
                var completed = search.Trials.Where(t => t.State == "complete" && t.Value is not null).ToArray();
                traces.Add(new JsonObject
                {
                    ["type"] = "scatter", ["mode"] = "markers", ["name"] = $"{run.RunId} trial value", ["legendgroup"] = run.RunId,
                    ["x"] = new JsonArray(completed.Select(t => (JsonNode?)t.Number).ToArray()),
                    ["y"] = new JsonArray(completed.Select(t => (JsonNode?)t.Value).ToArray()),
                    ["marker"] = new JsonObject { ["color"] = Color(i), ["size"] = DotSize(i, runs.Count) },
                });
                var bestSoFar = search.BestSoFar(direction == MetricDirection.Higher);
                traces.Add(new JsonObject
                {
                    ["type"] = "scatter", ["mode"] = "lines", ["name"] = $"{run.RunId} best so far", ["legendgroup"] = run.RunId,
                    ["x"] = new JsonArray(search.Trials.Select(t => (JsonNode?)t.Number).ToArray()),
                    ["y"] = new JsonArray(bestSoFar.Select(v => (JsonNode?)v).ToArray()),
                    ["line"] = new JsonObject { ["color"] = Color(i), ["shape"] = "hv", ["width"] = Width(i, runs.Count) },
                });
                int notCompleted = search.Trials.Count - completed.Length;
                if (notCompleted > 0) notes.Add($"Run {run.RunId}: {notCompleted} of {search.Trials.Count} trials were pruned or failed and have no value.");
            }
            string metricText = directions.Count == 1 ? DirectionText(directions.Single()) : "directions differ between runs";
            report.Heading($"{stage} (tune): trial value by trial number", 3);
            foreach (var note in notes) report.Paragraph(note, "warn");
            if (traces.Count > 0)
                report.Chart($"{stage}: each trial's value (dots) and the best so far (line)", traces, new JsonObject
                {
                    ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "trial number" } },
                    ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = $"value ({metricText})" } },
                });
        }
    }

    /// <summary>The earlier run whose <paramref name="output"/> has the same hash as run <paramref name="index"/>'s, if any.</summary>
    private static string? SameArtifact(IReadOnlyList<RunRecord> runs, int index, string output) =>
        runs[index].Outputs.TryGetValue(output, out var mine)
            ? runs.Take(index).FirstOrDefault(r => r.Outputs.TryGetValue(output, out var theirs) && theirs.Hash == mine.Hash)?.RunId
            : null;

    /// <summary>Stages of the given kinds in any of the runs, in the order they first appear.</summary>
    private static IReadOnlyList<(string Stage, string Kind)> StagesOfKind(IReadOnlyList<RunRecord> runs, params string[] kinds) =>
        runs.SelectMany(r => r.StageKinds).Where(s => kinds.Contains(s.Kind)).Distinct().ToArray();
}
