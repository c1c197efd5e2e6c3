using System.Text.Json.Nodes;
using Pipelines.Core.Reporting;

namespace Pipelines.Stages.Bias;

/// <summary>Builds the bias report: JSON data, then HTML with bar charts of shares and selection rates.</summary>
internal static class BiasReport
{
    public static JsonObject Build(BiasAnalysis analysis, BiasOptions options)
    {
        var violations = new JsonArray();
        foreach (var v in analysis.Violations)
        {
            violations.Add(new JsonObject
            {
                ["name"] = v.Name, ["attribute"] = v.Attribute, ["group"] = v.Group, ["subset"] = v.Subset,
                ["value"] = v.Value, ["threshold"] = v.Threshold,
                ["verdict"] = v.Verdict == BiasVerdict.Broken ? "broken" : "inconclusive", ["ci_low"] = v.Low, ["ci_high"] = v.High,
            });
        }

        var metrics = new JsonArray();
        foreach (var m in analysis.Metrics)
        {
            metrics.Add(new JsonObject { ["attribute"] = m.Attribute, ["group"] = m.Group, ["metric"] = m.Metric, ["value"] = Finite(m.Value), ["subset"] = m.Subset, ["ci_low"] = m.Low, ["ci_high"] = m.High });
        }

        return new JsonObject
        {
            ["label"] = options.Label,
            ["positive_label"] = analysis.PositiveLabel,
            ["sensitive"] = new JsonArray(options.Sensitive.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
            ["subsets"] = new JsonArray(analysis.Subsets.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
            ["on_violation"] = options.OnViolation == ViolationAction.Fail ? "fail" : "warn",
            ["confidence"] = options.Bootstrap > 0 ? options.Confidence : null,
            ["bootstrap"] = options.Bootstrap,
            ["min_group_size"] = options.MinGroupSize,
            ["notes"] = new JsonArray(analysis.Notes.Select(n => (JsonNode)JsonValue.Create(n)!).ToArray()),
            ["violations"] = violations,
            ["metrics"] = metrics,
        };
    }

    public static Task WriteAsync(string directory, JsonObject report, BiasAnalysis analysis, BiasOptions options, CancellationToken cancellationToken) =>
        Html(analysis, options).WriteAsync(directory, report, cancellationToken);

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static HtmlReport Html(BiasAnalysis analysis, BiasOptions options)
    {
        var html = new HtmlReport("Bias report");
        html.Paragraph($"Label '{options.Label}', favourable label '{analysis.PositiveLabel ?? "(none)"}'.");
        foreach (string note in analysis.Notes)
        {
            html.Paragraph("Note: " + note);
        }

        html.Heading("Violations");
        if (analysis.Violations.Count == 0)
        {
            html.Paragraph("No threshold was broken.");
        }
        else
        {
            html.Table(["threshold", "verdict", "attribute", "group", "subset", "value", "ci_low", "ci_high", "limit"],
                analysis.Violations.Select(v => (IReadOnlyList<object?>)[v.Name, v.Verdict == BiasVerdict.Broken ? "broken" : "inconclusive", v.Attribute, v.Group, v.Subset, v.Value, v.Low, v.High, v.Threshold]));
        }

        html.Heading("Label balance");
        html.Table(["subset", "metric", "label", "value"], analysis.Metrics.Where(m => m.Attribute == "*")
            .Select(m => (IReadOnlyList<object?>)[m.Subset, m.Metric, m.Group, m.Value]));

        foreach (string attribute in options.Sensitive)
        {
            html.Heading("Attribute: " + attribute);
            var rows = analysis.Metrics.Where(m => m.Attribute == attribute).ToArray();
            html.Chart($"Share of rows per {attribute} group", Bars(rows, "share", analysis.Subsets), Layout("share", options.Thresholds.MinGroupShare));
            html.Chart($"Base rate P({options.Label} = {analysis.PositiveLabel}) per {attribute} group", Bars(rows, "base_rate", analysis.Subsets), Layout("base rate", null));
            if (rows.Any(m => m.Metric == "selection_rate"))
            {
                // The four-fifths line is drawn at disparate_impact_min × the highest selection rate of all rows.
                double? line = options.Thresholds.DisparateImpactMin is { } di
                    ? di * rows.Where(m => m.Metric == "selection_rate" && m.Subset == "all").Max(m => m.Value)
                    : null;
                html.Chart($"Selection rate P(prediction = {analysis.PositiveLabel}) per {attribute} group", Bars(rows, "selection_rate", analysis.Subsets), Layout("selection rate", line));
            }

            html.Table(["subset", "group", "metric", "value", "ci_low", "ci_high"], rows.Select(m => (IReadOnlyList<object?>)[m.Subset, m.Group, m.Metric, m.Value, m.Low, m.High]));
        }

        return html;
    }

    // One bar trace per subset (all, real), grouped by group.
    private static JsonArray Bars(IReadOnlyList<BiasMetric> rows, string metric, IReadOnlyList<string> subsets)
    {
        var traces = new JsonArray();
        foreach (string subset in subsets)
        {
            var selected = rows.Where(m => m.Metric == metric && m.Subset == subset).ToArray();
            traces.Add(new JsonObject
            {
                ["type"] = "bar",
                ["name"] = subset,
                ["x"] = new JsonArray(selected.Select(m => (JsonNode)JsonValue.Create(m.Group)!).ToArray()),
                ["y"] = new JsonArray(selected.Select(m => (JsonNode)JsonValue.Create(m.Value)!).ToArray()),
                // Bootstrap intervals as asymmetric error bars (none without an interval).
                ["error_y"] = new JsonObject
                {
                    ["type"] = "data", ["symmetric"] = false, ["visible"] = selected.Any(m => m.Low is not null),
                    ["array"] = new JsonArray(selected.Select(m => (JsonNode)JsonValue.Create(m.High is { } h ? h - m.Value : 0)!).ToArray()),
                    ["arrayminus"] = new JsonArray(selected.Select(m => (JsonNode)JsonValue.Create(m.Low is { } l ? m.Value - l : 0)!).ToArray()),
                },
            });
        }

        return traces;
    }

    private static JsonObject Layout(string axis, double? line)
    {
        var layout = new JsonObject
        {
            ["barmode"] = "group",
            ["xaxis"] = new JsonObject { ["type"] = "category" },
            ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = axis }, ["rangemode"] = "tozero" },
        };
        if (line is { } y)
        {
            layout["shapes"] = new JsonArray(new JsonObject
            {
                ["type"] = "line", ["xref"] = "paper", ["x0"] = 0, ["x1"] = 1, ["y0"] = y, ["y1"] = y,
                ["line"] = new JsonObject { ["color"] = "#e45756", ["dash"] = "dash" },
            });
        }

        return layout;
    }
}
