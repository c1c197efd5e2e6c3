using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Reporting;

/// <summary>
/// The report of one run, built from its run log: the DAG coloured by status, each stage's time, fingerprint
/// and reason, its key figures, and links to the stage's own reports. One self-contained HTML page.
/// </summary>
public static class RunReport
{
    private static readonly Dictionary<string, string> StatusColors = new(StringComparer.Ordinal)
    {
        ["ran"] = "#0969da", ["cached"] = "#1a7f37", ["failed"] = "#cf222e", ["skipped"] = "#8c959f",
    };

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
        string html = Build(log, workspace, directory).ToHtml(script);
        Directory.CreateDirectory(directory);
        await AtomicFile.WriteAllTextAsync(htmlPath, html, cancellationToken).ConfigureAwait(false);
        return htmlPath;
    }

    /// <summary>Builds the page for a run log.</summary>
    public static HtmlReport Build(JsonObject log, Workspace workspace, string reportDirectory)
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
        report.Chart("Stages and their connections (colour: ran, cached, failed, skipped)", DagTraces(stages, out var layout), layout);

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
            ["marker"] = new JsonObject { ["color"] = new JsonArray(stages.Select(s => (JsonNode?)StatusColors.GetValueOrDefault(s["status"]?.GetValue<string>() ?? "", "#888")).ToArray()) },
        }), new JsonObject { ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "seconds" } } });

        if (log["environment"] is JsonObject env)
        {
            report.Heading("Environment");
            report.Table(["", "value"], env.Select(p => (IReadOnlyList<object?>)[p.Key, p.Value?.ToString()]));
        }
        return report;
    }

    /// <summary>A layered drawing of the DAG: x = depth, y = position within the layer.</summary>
    private static JsonArray DagTraces(JsonObject[] stages, out JsonObject layout)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in stages)
        {
            string id = s["id"]!.GetValue<string>();
            var parents = s["parents"]?.AsArray().Select(p => p!.GetValue<string>()) ?? [];
            depth[id] = parents.Select(p => depth.GetValueOrDefault(p) + 1).DefaultIfEmpty(0).Max();
        }
        var position = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        foreach (var layer in depth.GroupBy(d => d.Value))
        {
            var ids = layer.Select(l => l.Key).ToArray();
            for (int i = 0; i < ids.Length; i++) position[ids[i]] = (layer.Key, i - (ids.Length - 1) / 2.0);
        }
        var edgeX = new JsonArray();
        var edgeY = new JsonArray();
        foreach (var s in stages)
        {
            var to = position[s["id"]!.GetValue<string>()];
            foreach (var p in s["parents"]?.AsArray() ?? [])
            {
                var from = position[p!.GetValue<string>()];
                edgeX.Add(from.X); edgeX.Add(to.X); edgeX.Add(null);
                edgeY.Add(from.Y); edgeY.Add(to.Y); edgeY.Add(null);
            }
        }
        var nodes = new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "markers+text",
            ["x"] = new JsonArray(stages.Select(s => (JsonNode?)position[s["id"]!.GetValue<string>()].X).ToArray()),
            ["y"] = new JsonArray(stages.Select(s => (JsonNode?)position[s["id"]!.GetValue<string>()].Y).ToArray()),
            ["text"] = new JsonArray(stages.Select(s => (JsonNode?)s["id"]!.GetValue<string>()).ToArray()),
            ["textposition"] = "top center",
            ["hovertext"] = new JsonArray(stages.Select(s => (JsonNode?)$"{s["id"]} ({s["kind"]}): {s["status"]}, {s["seconds"]} s, {s["reason"]}").ToArray()),
            ["hoverinfo"] = "text",
            ["marker"] = new JsonObject
            {
                ["size"] = 22,
                ["symbol"] = "square",
                ["color"] = new JsonArray(stages.Select(s => (JsonNode?)StatusColors.GetValueOrDefault(s["status"]?.GetValue<string>() ?? "", "#888")).ToArray()),
            },
        };
        int widest = Math.Max(1, position.Values.GroupBy(p => p.X).Max(g => g.Count()));
        double half = (widest - 1) / 2.0;
        layout = new JsonObject
        {
            ["showlegend"] = false,
            ["xaxis"] = new JsonObject { ["visible"] = false },
            ["yaxis"] = new JsonObject { ["visible"] = false, ["range"] = new JsonArray(-half - 0.6, half + 0.8) },
            ["height"] = 140 + 55 * widest,
        };
        return new JsonArray(
            new JsonObject { ["type"] = "scatter", ["mode"] = "lines", ["x"] = edgeX, ["y"] = edgeY, ["line"] = new JsonObject { ["color"] = "#8c959f", ["width"] = 1.5 }, ["hoverinfo"] = "skip" },
            nodes);
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
