using System.Globalization;
using System.Net;
using System.Text;

namespace Pipelines.Stages.Dedup;

/// <summary>A small self-contained HTML page builder (tables and inline SVG bar charts; works offline).</summary>
internal sealed class ReportHtml
{
    private readonly StringBuilder _body = new();
    private readonly string _title;

    public ReportHtml(string title) => _title = title;

    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? string.Empty);

    public static string Number(double value) => double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    public ReportHtml Heading(string text)
    {
        _body.Append("<h2>").Append(Encode(text)).Append("</h2>\n");
        return this;
    }

    public ReportHtml Paragraph(string text)
    {
        _body.Append("<p>").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    public ReportHtml Table(IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        _body.Append("<table><tr>");
        foreach (string h in header)
        {
            _body.Append("<th>").Append(Encode(h)).Append("</th>");
        }

        _body.Append("</tr>\n");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (string cell in row)
            {
                _body.Append("<td>").Append(Encode(cell)).Append("</td>");
            }

            _body.Append("</tr>\n");
        }

        _body.Append("</table>\n");
        return this;
    }

    /// <summary>Horizontal bars, one per (label, value); values are drawn relative to the largest (or to 1 for rates).</summary>
    public ReportHtml BarChart(string title, IReadOnlyList<(string Label, double Value)> bars, double? maxValue = null, double? marker = null)
    {
        const int labelWidth = 180, barWidth = 360, rowHeight = 22;
        double max = maxValue ?? Math.Max(1e-12, bars.Count == 0 ? 1 : bars.Max(b => b.Value));
        int height = (bars.Count * rowHeight) + 30;
        _body.Append(CultureInfo.InvariantCulture, $"<figure><figcaption>{Encode(title)}</figcaption><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{labelWidth + barWidth + 80}\" height=\"{height}\">\n");
        for (int i = 0; i < bars.Count; i++)
        {
            var (label, value) = bars[i];
            int y = (i * rowHeight) + 5;
            double width = Math.Max(0, value / max * barWidth);
            _body.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + 15}\" text-anchor=\"end\" font-size=\"12\">{Encode(label)}</text>");
            _body.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{width:0.##}\" height=\"{rowHeight - 6}\" fill=\"#4c78a8\"/>");
            _body.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + width + 4:0.##}\" y=\"{y + 15}\" font-size=\"12\">{Number(value)}</text>\n");
        }

        if (marker is { } m)
        {
            double x = labelWidth + (m / max * barWidth);
            _body.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x:0.##}\" x2=\"{x:0.##}\" y1=\"0\" y2=\"{height - 25}\" stroke=\"#e45756\" stroke-dasharray=\"4\"/>");
        }

        _body.Append("</svg></figure>\n");
        return this;
    }

    public override string ToString() =>
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + Encode(_title) + "</title>\n" +
        "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}" +
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}th{background:#f3f3f3}" +
        "figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:4px}</style></head><body>\n<h1>" + Encode(_title) + "</h1>\n" +
        _body + "</body></html>\n";
}
