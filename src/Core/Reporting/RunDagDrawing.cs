using System.Text;
using System.Text.Json.Nodes;

namespace Pipelines.Core.Reporting;

/// <summary>
/// The run report's DAG: stages laid out by depth, an arrow (a plotly annotation) from each input stage to its
/// consumer, nodes coloured by status, and a legend of the status colours.
/// </summary>
internal static class RunDagDrawing
{
    /// <summary>Status → colour; the legend lists them in this order whether or not a run has each.</summary>
    public static readonly IReadOnlyList<(string Status, string Color, string Meaning)> Statuses =
    [
        ("ran", "#0969da", "ran in this run"), ("cached", "#1a7f37", "restored from cache"),
        ("failed", "#cf222e", "failed"), ("skipped", "#8c959f", "skipped (an input failed)"),
    ];

    /// <summary>The colour of a status; grey for one the legend does not know.</summary>
    public static string ColorOf(string? status) => Statuses.FirstOrDefault(s => s.Status == status).Color ?? "#888";

    /// <summary>Adds the drawing and its legend to <paramref name="report"/>.</summary>
    public static void AddTo(HtmlReport report, JsonObject[] stages)
    {
        var position = Layout(stages);
        var nodes = new JsonObject
        {
            ["type"] = "scatter",
            ["mode"] = "markers+text",
            ["x"] = new JsonArray(stages.Select(s => (JsonNode?)position[Id(s)].X).ToArray()),
            ["y"] = new JsonArray(stages.Select(s => (JsonNode?)position[Id(s)].Y).ToArray()),
            ["text"] = new JsonArray(stages.Select(s => (JsonNode?)Id(s)).ToArray()),
            ["textposition"] = "top center",
            ["hovertext"] = new JsonArray(stages.Select(s => (JsonNode?)$"{s["id"]} ({s["kind"]}): {s["status"]}, {s["seconds"]} s, {s["reason"]}").ToArray()),
            ["hoverinfo"] = "text",
            ["marker"] = new JsonObject
            {
                ["size"] = 22,
                ["symbol"] = "square",
                ["color"] = new JsonArray(stages.Select(s => (JsonNode?)ColorOf(s["status"]?.GetValue<string>())).ToArray()),
            },
        };
        int widest = Math.Max(1, position.Values.GroupBy(p => p.X).Max(g => g.Count()));
        double half = (widest - 1) / 2.0;
        var layout = new JsonObject
        {
            ["showlegend"] = false,
            ["xaxis"] = new JsonObject { ["visible"] = false },
            ["yaxis"] = new JsonObject { ["visible"] = false, ["range"] = new JsonArray(-half - 0.6, half + 0.8) },
            ["height"] = 140 + 55 * widest,
            ["annotations"] = Arrows(stages, position),
        };
        report.Chart("Stages and their connections (an arrow runs from an input stage to the stage that reads it)", new JsonArray(nodes), layout);
        report.Html(Legend());
    }

    /// <summary>One annotation per edge: its tail (ax, ay) at the input stage, its head (x, y) at the consumer.</summary>
    private static JsonArray Arrows(JsonObject[] stages, Dictionary<string, (double X, double Y)> position)
    {
        var arrows = new JsonArray();
        foreach (var s in stages)
        {
            var to = position[Id(s)];
            foreach (var parent in s["parents"]?.AsArray() ?? [])
            {
                var from = position[parent!.GetValue<string>()];
                arrows.Add(new JsonObject
                {
                    ["x"] = to.X, ["y"] = to.Y, ["ax"] = from.X, ["ay"] = from.Y,
                    ["xref"] = "x", ["yref"] = "y", ["axref"] = "x", ["ayref"] = "y",
                    ["text"] = "", ["showarrow"] = true, ["arrowhead"] = 2, ["arrowsize"] = 1.2, ["arrowwidth"] = 1.5,
                    ["arrowcolor"] = "#59636e",
                    // Pixels kept clear at each end, so the arrow stops at the node's square instead of its centre.
                    ["standoff"] = 13, ["startstandoff"] = 13,
                });
            }
        }
        return arrows;
    }

    // Inline styles: the shared style sheet is part of every stage's report bytes, so it stays as it is.
    private static string Legend()
    {
        var html = new StringBuilder("<div class=\"legend\" style=\"margin:.2rem 0 1rem\">Status: ");
        foreach (var (status, color, meaning) in Statuses)
            html.Append("<span class=\"legend-item\" data-status=\"").Append(status).Append("\" style=\"margin-right:1.2rem\"><span style=\"display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:middle;background:")
                .Append(color).Append("\"></span>").Append(HtmlReport.Encode(status)).Append(" — ").Append(HtmlReport.Encode(meaning)).Append("</span>");
        return html.Append("</div>").ToString();
    }

    /// <summary>x = depth (longest path from a source), y = position within the layer, centred.</summary>
    private static Dictionary<string, (double X, double Y)> Layout(JsonObject[] stages)
    {
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var s in stages)
        {
            var parents = s["parents"]?.AsArray().Select(p => p!.GetValue<string>()) ?? [];
            depth[Id(s)] = parents.Select(p => depth.GetValueOrDefault(p) + 1).DefaultIfEmpty(0).Max();
        }
        var position = new Dictionary<string, (double X, double Y)>(StringComparer.Ordinal);
        foreach (var layer in depth.GroupBy(d => d.Value))
        {
            var ids = layer.Select(l => l.Key).ToArray();
            for (int i = 0; i < ids.Length; i++) position[ids[i]] = (layer.Key, i - (ids.Length - 1) / 2.0);
        }
        return position;
    }

    private static string Id(JsonObject stage) => stage["id"]!.GetValue<string>();
}
