using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Stages.Dedup;

namespace Pipelines.Stages.Bias;

/// <summary>Builds the bias report: JSON data, then HTML with bar charts of shares and selection rates.</summary>
internal static class BiasReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static JsonObject Build(BiasAnalysis analysis, BiasOptions options)
    {
        var violations = new JsonArray();
        foreach (var v in analysis.Violations)
        {
            violations.Add(new JsonObject
            {
                ["name"] = v.Name, ["attribute"] = v.Attribute, ["group"] = v.Group, ["subset"] = v.Subset,
                ["value"] = v.Value, ["threshold"] = v.Threshold,
            });
        }

        var metrics = new JsonArray();
        foreach (var m in analysis.Metrics)
        {
            metrics.Add(new JsonObject { ["attribute"] = m.Attribute, ["group"] = m.Group, ["metric"] = m.Metric, ["value"] = Finite(m.Value), ["subset"] = m.Subset });
        }

        return new JsonObject
        {
            ["label"] = options.Label,
            ["positive_label"] = analysis.PositiveLabel,
            ["sensitive"] = new JsonArray(options.Sensitive.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
            ["subsets"] = new JsonArray(analysis.Subsets.Select(s => (JsonNode)JsonValue.Create(s)!).ToArray()),
            ["on_violation"] = options.OnViolation == ViolationAction.Fail ? "fail" : "warn",
            ["violations"] = violations,
            ["metrics"] = metrics,
        };
    }

    public static async Task WriteAsync(string directory, JsonObject report, BiasAnalysis analysis, BiasOptions options, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(Path.Combine(directory, "report.json"), report.ToJsonString(Indented), cancellationToken).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(directory, "report.html"), Html(analysis, options), cancellationToken).ConfigureAwait(false);
    }

    private static double? Finite(double value) => double.IsFinite(value) ? value : null;

    private static string Html(BiasAnalysis analysis, BiasOptions options)
    {
        var html = new ReportHtml("Bias report");
        html.Paragraph($"Label '{options.Label}', favourable label '{analysis.PositiveLabel ?? "(none)"}'.");
        html.Heading("Violations");
        if (analysis.Violations.Count == 0)
        {
            html.Paragraph("No threshold was broken.");
        }
        else
        {
            html.Table(["threshold", "attribute", "group", "subset", "value", "limit"],
                analysis.Violations.Select(v => (IReadOnlyList<string>)[v.Name, v.Attribute, v.Group, v.Subset, ReportHtml.Number(v.Value), ReportHtml.Number(v.Threshold)]));
        }

        html.Heading("Label balance");
        foreach (string subset in analysis.Subsets)
        {
            html.Table(["subset", "metric", "group", "value"], analysis.Metrics.Where(m => m.Attribute == "*" && m.Subset == subset)
                .Select(m => (IReadOnlyList<string>)[subset, m.Metric, m.Group, ReportHtml.Number(m.Value)]));
        }

        foreach (string attribute in options.Sensitive)
        {
            html.Heading("Attribute: " + attribute);
            foreach (string subset in analysis.Subsets)
            {
                var rows = analysis.Metrics.Where(m => m.Attribute == attribute && m.Subset == subset).ToArray();
                var shares = rows.Where(m => m.Metric == "share").Select(m => (m.Group, m.Value)).ToArray();
                var rates = rows.Where(m => m.Metric == "selection_rate").Select(m => (m.Group, m.Value)).ToArray();
                html.BarChart($"Share of rows per group ({subset})", shares, 1.0, options.Thresholds.MinGroupShare);
                if (rates.Length > 0)
                {
                    double? fourFifths = options.Thresholds.DisparateImpactMin is { } di ? di * rates.Max(r => r.Value) : null;
                    html.BarChart($"Selection rate P({options.Label} = {analysis.PositiveLabel}) per group ({subset})", rates, 1.0, fourFifths);
                }

                html.Table(["group", "metric", "value"], rows.Select(m => (IReadOnlyList<string>)[m.Group, m.Metric, ReportHtml.Number(m.Value)]));
            }
        }

        return html.ToString();
    }
}
