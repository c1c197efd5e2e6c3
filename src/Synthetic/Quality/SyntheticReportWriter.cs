using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Reporting;

namespace Pipelines.Synthetic;

/// <summary>
/// Writes a <see cref="SyntheticDataReport"/> as <c>report.json</c> and a self-contained
/// <c>report.html</c> (Core's <see cref="HtmlReport"/>: key figures, privacy, per-column
/// histograms real vs synthetic, a correlation heat-map pair, score tables).
/// </summary>
public static class SyntheticReportWriter
{
    /// <summary>File name of the JSON report.</summary>
    public const string JsonFile = "report.json";

    /// <summary>File name of the HTML report.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Writes both files into <paramref name="directory"/> (created if missing).</summary>
    public static Task WriteAsync(string directory, SyntheticDataReport report, CancellationToken cancellationToken = default) =>
        BuildHtml(report).WriteAsync(directory, ToJsonNode(report), cancellationToken);

    /// <summary>The report as snake_case JSON.</summary>
    public static JsonNode ToJsonNode(SyntheticDataReport report) => JsonSerializer.SerializeToNode(report, SynthesizerJson.Options)!;

    /// <summary>The report page.</summary>
    public static HtmlReport BuildHtml(SyntheticDataReport report)
    {
        var html = new HtmlReport($"Synthetic data report ({report.Method})");
        var q = report.Quality;
        html.KeyFigures([
            ("method", report.Method), ("real rows", report.RealRows), ("synthetic rows", report.SyntheticRows),
            ("overall quality", q?.OverallScore), ("column shapes", q?.ColumnShapesScore), ("column pair trends", q?.ColumnPairTrendsScore),
            ("pair trends of related pairs", q?.ThresholdedPairTrendsScore),
            ("independent-columns baseline (related pairs)", report.Baseline?.ThresholdedPairTrendsScore),
            ("relations kept", report.Rules is { Count: > 0 } rules ? rules.Min(r => r.SyntheticShare) : null),
            ("mean DCR ratio (synthetic / holdout)", report.Privacy.DcrRatio), ("median DCR ratio", report.Privacy.DcrMedianRatio),
            ("exact copies", report.Privacy.ExactCopyShare)]);
        if (q is null)
        {
            html.Paragraph("Quality was not measured: no real rows match the conditions the synthetic rows were drawn under.", "warn");
        }

        if (report.Rules is { Count: > 0 } kept)
        {
            html.Heading("Relations in the data, kept in the synthetic rows");
            html.Table(["relation", "found or declared", "real rows obeying", "synthetic rows obeying"],
                kept.Select(r => (IReadOnlyList<object?>)[r.Description, r.Detected ? "found" : "declared", r.RealShare, r.SyntheticShare]),
                "Functional dependencies are kept by deriving the dependent column from its determinant; other relations by drawing rows again");
        }

        if (q is not null && report.Baseline is { } baseline)
        {
            html.Heading("How much joint structure was learned");
            html.Table(["score", report.Method, "independent columns"], [
                ["column shapes", q.ColumnShapesScore, baseline.ColumnShapesScore],
                ["pair trends, all pairs", q.ColumnPairTrendsScore, baseline.ColumnPairTrendsScore],
                [$"pair trends, {q.RelatedPairs} related pairs (association ≥ {QualityReport.AssociationThreshold.ToString(CultureInfo.InvariantCulture)})", q.ThresholdedPairTrendsScore, baseline.ThresholdedPairTrendsScore]],
                "The baseline is the real rows with every column shuffled on its own: perfect shapes, no relations between columns");
        }

        var p = report.Privacy;
        html.Heading("Privacy: distance to closest record");
        if (p.Warning is not null)
        {
            html.Paragraph(p.Warning, "bad");
        }
        else if (p.HoldoutDcrMean is null)
        {
            html.Paragraph("No holdout was given, so there is no baseline to compare the synthetic rows' distances with.", "warn");
        }
        else
        {
            html.Paragraph("Synthetic rows are no closer to the training rows than real holdout rows are.", "ok");
        }

        html.Table(["measure", "synthetic rows", "holdout rows"], [
            ["rows checked", p.SyntheticRowsChecked, p.HoldoutRowsChecked],
            ["mean DCR", p.SyntheticDcrMean, p.HoldoutDcrMean],
            ["median DCR", p.SyntheticDcrMedian, p.HoldoutDcrMedian],
            ["exact copies of training rows", p.ExactCopyShare, p.HoldoutExactCopyShare]],
            $"Distances to the closest of {p.TrainingRows.ToString("N0", CultureInfo.InvariantCulture)} training rows (Gower-style, 0 to 1)");

        if (report.TextSamples is { } samples)
        {
            html.Heading($"Generated texts beside real ones ({samples.Column})");
            int shown = Math.Max(samples.Real.Count, samples.Synthetic.Count);
            html.Table(["#", "real", "generated"], Enumerable.Range(0, shown).Select(i => (IReadOnlyList<object?>)
                [i + 1, i < samples.Real.Count ? samples.Real[i] : "", i < samples.Synthetic.Count ? samples.Synthetic[i] : ""]),
                $"The first {samples.Synthetic.Count} generated texts and the first {samples.Real.Count} real texts of the same groups");
        }

        if (q is null)
        {
            return html;
        }

        html.Heading("Column shapes");
        html.Table(["column", "metric", "score"], q.ColumnShapes.Select(s => (IReadOnlyList<object?>)[s.Column, s.Metric, s.Score]));
        foreach (var h in q.Histograms)
        {
            html.Chart(h.Column, new JsonArray(Bars("real", h.Bins, h.Real, "#1f77b4"), Bars("synthetic", h.Bins, h.Synthetic, "#ff7f0e")),
                new JsonObject { ["barmode"] = "group", ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "share of rows" } } });
        }

        if (q.Correlations.Columns.Count > 1)
        {
            html.Heading("Correlations of numeric columns");
            html.Chart("real", new JsonArray(HeatMap(q.Correlations.Columns, q.Correlations.Real)));
            html.Chart("synthetic", new JsonArray(HeatMap(q.Correlations.Columns, q.Correlations.Synthetic)));
        }

        html.Heading("Column pair trends");
        html.Table(["column A", "column B", "metric", "score", "real association", "real ρ", "synthetic ρ"],
            q.ColumnPairTrends.OrderBy(s => s.Score).Select(s => (IReadOnlyList<object?>)[s.ColumnA, s.ColumnB, s.Metric, s.Score, s.RealAssociation, s.RealCorrelation, s.SyntheticCorrelation]));
        return html;
    }

    private static JsonObject Bars(string name, IReadOnlyList<string> bins, IReadOnlyList<double> values, string colour) => new()
    {
        ["type"] = "bar",
        ["name"] = name,
        ["x"] = new JsonArray(bins.Select(b => (JsonNode?)JsonValue.Create(b)).ToArray()),
        ["y"] = new JsonArray(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray()),
        ["marker"] = new JsonObject { ["color"] = colour },
    };

    private static JsonObject HeatMap(IReadOnlyList<string> columns, double[][] matrix) => new()
    {
        ["type"] = "heatmap",
        ["x"] = new JsonArray(columns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        ["y"] = new JsonArray(columns.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
        ["z"] = new JsonArray(matrix.Select(row => (JsonNode?)new JsonArray(row.Select(v => (JsonNode?)JsonValue.Create(Math.Round(v, 4))).ToArray())).ToArray()),
        ["zmin"] = -1,
        ["zmax"] = 1,
        ["colorscale"] = "RdBu",
        ["reversescale"] = true,
    };
}
