using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Cards;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Reporting;

/// <summary>
/// The report of one run, built from its run log: the DAG coloured by status, each stage's time, fingerprint
/// and reason, its key figures, links to the stage's own reports, the params and overrides, and each metric beside
/// the previous run's. One HTML page.
/// </summary>
public static class RunReport
{
    /// <summary>
    /// Writes the report of <paramref name="runLogPath"/> to <paramref name="htmlPath"/>; links are relative to the
    /// workspace. <paramref name="selfContained"/> inlines plotly.js (a page to send around); otherwise the page loads
    /// it from an <c>assets/</c> folder beside it, written once, which keeps the report after every run cheap.
    /// </summary>
    public static async Task<string> WriteAsync(Workspace workspace, string runLogPath, string htmlPath, bool selfContained = true, CancellationToken cancellationToken = default)
    {
        var log = JsonNode.Parse(await File.ReadAllTextAsync(runLogPath, cancellationToken))!.AsObject();
        string directory = Path.GetDirectoryName(Path.GetFullPath(htmlPath))!;
        string? script = selfContained ? null : "assets/" + await HtmlReport.EnsurePlotlyScriptFileAsync(Path.Combine(directory, "assets"), cancellationToken).ConfigureAwait(false);
        var previous = PreviousRun.Find(Path.GetDirectoryName(Path.GetFullPath(runLogPath))!, log);
        var report = Build(log, workspace, directory, previous);
        foreach (var card in await CardsAsync(workspace, log, cancellationToken).ConfigureAwait(false)) CardHtml.AddTo(report, card);
        string html = report.ToHtml(script);
        Directory.CreateDirectory(directory);
        await AtomicFile.WriteAllTextAsync(htmlPath, html, cancellationToken).ConfigureAwait(false);
        return htmlPath;
    }

    /// <summary>
    /// The cards of the run's trained stages that succeeded. A card is a summary beside the run, so one that cannot be
    /// read (an old lock, a pruned cache) is left out rather than failing the report.
    /// </summary>
    private static async Task<IReadOnlyList<Card>> CardsAsync(Workspace workspace, JsonObject log, CancellationToken cancellationToken)
    {
        var cards = new List<Card>();
        if (log["pipeline"]?.GetValue<string>() is not { } pipeline) return cards;
        var trained = log["stages"]?.AsArray().Where(s => s?["kind"]?.GetValue<string>() == "train" && s["status"]?.GetValue<string>() is "ran" or "cached")
            .Select(s => s!["id"]!.GetValue<string>()).ToList() ?? [];
        foreach (var stage in trained)
        {
            try { cards.Add(await CardBuilder.BuildAsync(workspace, pipeline, stage, cancellationToken).ConfigureAwait(false)); }
            catch (Exception ex) when (ex is UserInputException or IOException or InvalidDataException)
            {
                // left out: `pipelines card` names the problem when asked for this card
            }
        }
        return cards;
    }

    /// <summary>Builds the page for a run log; <paramref name="previous"/>, the log of the run before, gives the metrics their comparison.</summary>
    public static HtmlReport Build(JsonObject log, Workspace workspace, string reportDirectory, JsonObject? previous = null)
    {
        var stages = log["stages"]!.AsArray().Select(s => s!.AsObject()).ToArray();
        string status = log["status"]?.GetValue<string>() ?? "?";
        var report = new HtmlReport($"Run of '{log["pipeline"]}' — {status}");
        report.Paragraph($"Run {log["run_id"]}, started {log["started"]}, finished {log["finished"]}" +
                         (log["pipeline_file"] is { } file ? $", pipeline file {file}." : "."));
        int Count(string s) => stages.Count(x => x["status"]?.GetValue<string>() == s);
        report.KeyFigures([("stages", stages.Length), ("ran", Count("ran")), ("restored from cache", Count("cached")), ("failed", Count("failed")),
            ("skipped", Count("skipped")), ("seconds", log["seconds"]?.GetValue<double>() ?? 0)]);

        report.Heading("Pipeline");
        RunDagDrawing.AddTo(report, stages);

        report.Heading("Stages");
        report.Table(["stage", "kind", "status", "seconds", "fingerprint", "why", "key figures", "reports"],
            stages.Select(s => (IReadOnlyList<object?>)
            [
                s["id"]?.GetValue<string>(), s["kind"]?.GetValue<string>(),
                new RawHtml($"<span class=\"status-{s["status"]}\">{HtmlReport.Encode(s["status"]?.GetValue<string>())}</span>"),
                s["seconds"]?.GetValue<double>(), s["fingerprint"]?.GetValue<string>()?[..8],
                s["error"]?.GetValue<string>() ?? s["reason"]?.GetValue<string>(),
                new RawHtml(Figures(s["summary"] as JsonObject)),
                new RawHtml(Links(s, workspace, reportDirectory)),
            ]));

        report.Chart("Seconds per stage in this run", new JsonArray(new JsonObject
        {
            ["type"] = "bar",
            ["x"] = new JsonArray(stages.Select(s => (JsonNode?)s["id"]!.GetValue<string>()).ToArray()),
            ["y"] = new JsonArray(stages.Select(s => (JsonNode?)(s["seconds"]?.GetValue<double>() ?? 0)).ToArray()),
            ["marker"] = new JsonObject { ["color"] = new JsonArray(stages.Select(s => (JsonNode?)RunDagDrawing.ColorOf(s["status"]?.GetValue<string>())).ToArray()) },
        }), new JsonObject { ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "seconds" } } });

        AddMetrics(report, log, previous);
        AddParameters(report, log);

        if (log["environment"] is JsonObject env)
        {
            report.Heading("Environment");
            report.Table(["", "value"], env.Select(p => (IReadOnlyList<object?>)[p.Key, p.Value?.ToString()]));
        }
        return report;
    }

    private static void AddMetrics(HtmlReport report, JsonObject log, JsonObject? previous)
    {
        var rows = MetricComparison.Of(log, previous);
        report.Heading("Metrics");
        report.Paragraph(previous is null
            ? "No earlier run of this pipeline to compare with."
            : $"This run beside the previous run of '{log["pipeline"]}', {previous["run_id"]} (started {previous["started"]}).");
        if (rows.Count == 0)
        {
            report.Paragraph("No stage declared a metric.");
            return;
        }
        report.Table(["stage", "metric", "better when", "previous run", "this run", "change", ""],
            rows.Select(m => (IReadOnlyList<object?>)[m.Stage, m.Metric, m.Direction, m.Previous, m.Current, m.Change, m.Verdict]));
    }

    /// <summary>The resolved params (flattened to dotted keys) and the overrides given on the command line.</summary>
    private static void AddParameters(HtmlReport report, JsonObject log)
    {
        report.Heading("Params and overrides");
        var parameters = new List<(string Key, string Value)>();
        Flatten(log["params"], "", parameters);
        if (parameters.Count == 0) report.Paragraph("The run had no params.");
        else report.Table(["param", "resolved value"], parameters.Select(p => (IReadOnlyList<object?>)[p.Key, p.Value]), "Resolved params");

        var sets = log["overrides"]?["set"]?.AsArray().Select(x => x?.GetValue<string>()).ToArray() ?? [];
        string? paramsFile = log["overrides"]?["params_file"]?.GetValue<string>();
        if (sets.Length == 0 && paramsFile is null) report.Paragraph("No overrides: the params are the pipeline file's own.");
        else report.Table(["override", "given"],
            sets.Select(x => (IReadOnlyList<object?>)["--set", x]).Concat(paramsFile is null ? [] : [(IReadOnlyList<object?>)["--params", paramsFile]]),
            "Overrides given on the command line");
    }

    private static void Flatten(JsonNode? node, string prefix, List<(string, string)> into)
    {
        if (node is JsonObject obj)
            foreach (var (key, value) in obj) Flatten(value, prefix.Length == 0 ? key : prefix + "." + key, into);
        else if (prefix.Length > 0)
            into.Add((prefix, node is JsonValue v && v.TryGetValue(out string? text) ? text : node?.ToJsonString() ?? "null"));
    }

    private static string Figures(JsonObject? summary)
    {
        if (summary is null || summary.Count == 0) return "";
        return string.Join("<br>", summary.Where(p => p.Value is JsonValue).Take(12).Select(p =>
        {
            string value = p.Value is JsonValue v && v.TryGetValue(out double d) ? HtmlReport.Format(d) : p.Value!.ToString();
            return $"{HtmlReport.Encode(p.Key)}: <b>{HtmlReport.Encode(value)}</b>";
        }));
    }

    private static string Links(JsonObject stage, Workspace workspace, string reportDirectory)
    {
        var links = new List<string>();
        foreach (var (name, output) in stage["outputs"]?.AsObject() ?? [])
        {
            if (output?["path"]?.GetValue<string>() is not { } path) continue;
            string full = Path.GetFullPath(Path.Combine(workspace.Root, path));
            string target = Directory.Exists(full) && File.Exists(Path.Combine(full, "report.html")) ? Path.Combine(full, "report.html") : full;
            if (!Directory.Exists(full) && !File.Exists(full)) continue;
            string relative = Path.GetRelativePath(reportDirectory, target).Replace('\\', '/');
            links.Add($"<a href=\"{HtmlReport.Encode(relative)}\">{HtmlReport.Encode(name)}</a>");
        }
        return string.Join(" · ", links);
    }
}
