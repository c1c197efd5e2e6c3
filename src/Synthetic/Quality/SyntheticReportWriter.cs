using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Pipelines.Synthetic;

/// <summary>
/// Writes a <see cref="SyntheticDataReport"/> as <c>report.json</c> and a self-contained
/// <c>report.html</c> (inline SVG: per-column histograms real vs synthetic, a correlation heat-map pair).
/// </summary>
public static class SyntheticReportWriter
{
    /// <summary>File name of the JSON report.</summary>
    public const string JsonFile = "report.json";

    /// <summary>File name of the HTML report.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Writes both files into <paramref name="directory"/> (created if missing).</summary>
    public static void Write(string directory, SyntheticDataReport report)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, JsonFile), ToJson(report));
        File.WriteAllText(Path.Combine(directory, HtmlFile), ToHtml(report));
    }

    /// <summary>The report as indented snake_case JSON (NaN written as null).</summary>
    public static string ToJson(SyntheticDataReport report) => JsonSerializer.Serialize(report, SynthesizerJson.Options);

    /// <summary>The report as one HTML page with no external references.</summary>
    public static string ToHtml(SyntheticDataReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Synthetic data report</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}")
            .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}th{background:#f3f3f3}.warn{background:#fff3cd;padding:1em;border:1px solid #e0c060}")
            .Append(".charts{display:flex;flex-wrap:wrap;gap:12px}.chart{border:1px solid #eee;padding:4px}</style></head><body>");
        html.Append("<h1>Synthetic data report</h1>");
        KeyValues(html, [
            ("method", report.Method), ("real rows", Int(report.RealRows)), ("synthetic rows", Int(report.SyntheticRows)),
            ("overall quality", report.Quality is { } q ? Num(q.OverallScore) : "not measured (conditional sample)"),
            ("column shapes", report.Quality is { } q1 ? Num(q1.ColumnShapesScore) : "-"),
            ("column pair trends", report.Quality is { } q2 ? Num(q2.ColumnPairTrendsScore) : "-")]);

        var p = report.Privacy;
        html.Append("<h2>Privacy: distance to closest record</h2>");
        if (p.Warning is not null)
        {
            html.Append("<p class=\"warn\">").Append(Enc(p.Warning)).Append("</p>");
        }

        KeyValues(html, [
            ("training rows searched", Int(p.TrainingRows)), ("synthetic rows checked", Int(p.SyntheticRowsChecked)),
            ("synthetic DCR mean / median", $"{Num(p.SyntheticDcrMean)} / {Num(p.SyntheticDcrMedian)}"),
            ("exact copies of training rows", p.ExactCopyShare.ToString("P2", CultureInfo.InvariantCulture)),
            ("holdout DCR mean / median", p.HoldoutDcrMean is { } hm ? $"{Num(hm)} / {Num(p.HoldoutDcrMedian!.Value)}" : "no holdout given"),
            ("holdout exact copies", p.HoldoutExactCopyShare?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"),
            ("DCR ratio (synthetic / holdout)", p.DcrRatio is { } r ? Num(r) : "-")]);

        if (report.Quality is { } quality)
        {
            html.Append("<h2>Column shapes</h2><table><tr><th>column</th><th>metric</th><th>score</th></tr>");
            foreach (var s in quality.ColumnShapes)
            {
                html.Append("<tr><td>").Append(Enc(s.Column)).Append("</td><td>").Append(s.Metric).Append("</td><td>").Append(Num(s.Score)).Append("</td></tr>");
            }

            html.Append("</table><div class=\"charts\">");
            foreach (var h in quality.Histograms)
            {
                Histogram(html, h);
            }

            html.Append("</div><h2>Correlations (numeric columns): real vs synthetic</h2><div class=\"charts\">");
            HeatMap(html, "real", quality.Correlations.Columns, quality.Correlations.Real);
            HeatMap(html, "synthetic", quality.Correlations.Columns, quality.Correlations.Synthetic);
            html.Append("</div><h2>Column pair trends</h2><table><tr><th>column A</th><th>column B</th><th>metric</th><th>score</th><th>real ρ</th><th>synthetic ρ</th></tr>");
            foreach (var s in quality.ColumnPairTrends.OrderBy(s => s.Score))
            {
                html.Append("<tr><td>").Append(Enc(s.ColumnA)).Append("</td><td>").Append(Enc(s.ColumnB)).Append("</td><td>").Append(s.Metric)
                    .Append("</td><td>").Append(Num(s.Score)).Append("</td><td>").Append(s.RealCorrelation is { } a ? Num(a) : "")
                    .Append("</td><td>").Append(s.SyntheticCorrelation is { } b ? Num(b) : "").Append("</td></tr>");
            }

            html.Append("</table>");
        }

        return html.Append("</body></html>").ToString();
    }

    private static void KeyValues(StringBuilder html, (string Key, string Value)[] rows)
    {
        html.Append("<table>");
        foreach (var (k, v) in rows)
        {
            html.Append("<tr><th>").Append(Enc(k)).Append("</th><td>").Append(Enc(v)).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void Histogram(StringBuilder html, ColumnHistogram h)
    {
        const int width = 360, height = 180, left = 30, bottom = 50;
        int bins = Math.Max(1, h.Bins.Count);
        double max = Math.Max(1e-9, h.Real.Concat(h.Synthetic).DefaultIfEmpty(0).Max());
        double slot = (width - left) / (double)bins;
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"chart\"><svg width=\"{width}\" height=\"{height + bottom}\" role=\"img\"><title>{Enc(h.Column)}</title>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"12\" font-size=\"12\" font-weight=\"bold\">{Enc(h.Column)}</text>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"{width - 120}\" y=\"12\" font-size=\"10\" fill=\"#1f77b4\">■ real</text><text x=\"{width - 70}\" y=\"12\" font-size=\"10\" fill=\"#ff7f0e\">■ synthetic</text>");
        for (int k = 0; k < h.Bins.Count; k++)
        {
            double x = left + k * slot;
            double hr = (height - 20) * h.Real[k] / max;
            double hs = (height - 20) * h.Synthetic[k] / max;
            html.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x + 1:0.#}\" y=\"{height - hr:0.#}\" width=\"{slot / 2 - 1:0.#}\" height=\"{hr:0.#}\" fill=\"#1f77b4\"><title>{Enc(h.Bins[k])}: real {h.Real[k]:P1}</title></rect>");
            html.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{x + slot / 2:0.#}\" y=\"{height - hs:0.#}\" width=\"{slot / 2 - 1:0.#}\" height=\"{hs:0.#}\" fill=\"#ff7f0e\"><title>{Enc(h.Bins[k])}: synthetic {h.Synthetic[k]:P1}</title></rect>");
            string label = h.Bins[k].Length > 10 ? h.Bins[k][..10] : h.Bins[k];
            html.Append(CultureInfo.InvariantCulture,
                $"<text font-size=\"9\" transform=\"translate({x + slot / 2:0.#},{height + 4}) rotate(60)\">{Enc(label)}</text>");
        }

        html.Append("</svg></div>");
    }

    private static void HeatMap(StringBuilder html, string title, IReadOnlyList<string> columns, double[][] matrix)
    {
        int n = columns.Count;
        const int cell = 34, left = 110, top = 110;
        html.Append(CultureInfo.InvariantCulture, $"<div class=\"chart\"><svg width=\"{left + n * cell + 10}\" height=\"{top + n * cell + 10}\" role=\"img\"><title>{title}</title>");
        html.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"14\" font-size=\"12\" font-weight=\"bold\">{title}</text>");
        for (int i = 0; i < n; i++)
        {
            html.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 4}\" y=\"{top + i * cell + cell / 2 + 4}\" font-size=\"10\" text-anchor=\"end\">{Enc(columns[i])}</text>");
            html.Append(CultureInfo.InvariantCulture, $"<text font-size=\"10\" transform=\"translate({left + i * cell + cell / 2},{top - 4}) rotate(-60)\">{Enc(columns[i])}</text>");
            for (int j = 0; j < n; j++)
            {
                double v = matrix[i][j];
                // Blue for negative, red for positive, white at zero.
                int fade = (int)Math.Round(255 * (1 - Math.Min(1, Math.Abs(v))));
                string colour = v >= 0 ? $"rgb(255,{fade},{fade})" : $"rgb({fade},{fade},255)";
                html.Append(CultureInfo.InvariantCulture,
                    $"<rect x=\"{left + j * cell}\" y=\"{top + i * cell}\" width=\"{cell}\" height=\"{cell}\" fill=\"{colour}\" stroke=\"#fff\"><title>{Enc(columns[i])} × {Enc(columns[j])}: {v:0.000}</title></rect>");
                html.Append(CultureInfo.InvariantCulture,
                    $"<text x=\"{left + j * cell + cell / 2}\" y=\"{top + i * cell + cell / 2 + 3}\" font-size=\"9\" text-anchor=\"middle\">{v:0.00}</text>");
            }
        }

        html.Append("</svg></div>");
    }

    private static string Num(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);

    private static string Int(int v) => v.ToString("N0", CultureInfo.InvariantCulture);

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
