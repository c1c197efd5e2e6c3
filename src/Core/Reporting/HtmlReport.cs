using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Reporting;

/// <summary>
/// A self-contained HTML report page: headings, text, key figures, sortable tables and interactive Plotly
/// charts. plotly.js (shipped inside Plotly.NET) is inlined once, so the file opens offline.
/// </summary>
public sealed class HtmlReport
{
    private readonly StringBuilder _body = new();
    private int _charts;

    /// <summary>Starts a report with a title.</summary>
    public HtmlReport(string title) => Title = title;

    /// <summary>The page title.</summary>
    public string Title { get; }

    /// <summary>Number of charts added.</summary>
    public int ChartCount => _charts;

    /// <summary>Adds a section heading.</summary>
    public HtmlReport Heading(string text, int level = 2)
    {
        _body.Append(CultureInfo.InvariantCulture, $"<h{level}>{Encode(text)}</h{level}>\n");
        return this;
    }

    /// <summary>Adds a paragraph of text.</summary>
    public HtmlReport Paragraph(string text, string? cssClass = null)
    {
        _body.Append(cssClass is null ? "<p>" : $"<p class=\"{cssClass}\">").Append(Encode(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds key figures as a grid of cards.</summary>
    public HtmlReport KeyFigures(IEnumerable<(string Label, object? Value)> figures)
    {
        _body.Append("<div class=\"figures\">");
        foreach (var (label, value) in figures)
            _body.Append("<div class=\"figure\"><div class=\"value\">").Append(Encode(Format(value))).Append("</div><div class=\"label\">").Append(Encode(label)).Append("</div></div>");
        _body.Append("</div>\n");
        return this;
    }

    /// <summary>Adds a table; click a header to sort by it.</summary>
    public HtmlReport Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows, string? caption = null)
    {
        _body.Append("<table class=\"sortable\">");
        if (caption is not null) _body.Append("<caption>").Append(Encode(caption)).Append("</caption>");
        _body.Append("<thead><tr>");
        foreach (var header in headers) _body.Append("<th>").Append(Encode(header)).Append("</th>");
        _body.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            _body.Append("<tr>");
            foreach (var cell in row)
            {
                bool numeric = cell is int or long or double or float or decimal;
                _body.Append(numeric ? "<td class=\"num\" data-sort=\"" + Convert.ToString(cell, CultureInfo.InvariantCulture) + "\">" : "<td>")
                     .Append(cell is RawHtml raw ? raw.Html : Encode(Format(cell))).Append("</td>");
            }
            _body.Append("</tr>");
        }
        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>Adds an interactive chart from Plotly's JSON schema (<paramref name="data"/> traces, <paramref name="layout"/>).</summary>
    public HtmlReport Chart(string title, JsonArray data, JsonObject? layout = null)
    {
        string id = $"chart{++_charts}";
        layout = (JsonObject?)layout?.DeepClone() ?? new JsonObject();
        layout["title"] ??= new JsonObject { ["text"] = title };
        layout["margin"] ??= new JsonObject { ["t"] = 48, ["l"] = 56, ["r"] = 24, ["b"] = 48 };
        _body.Append(CultureInfo.InvariantCulture, $"<div class=\"chart\" id=\"{id}\"></div>\n<script>Plotly.newPlot('{id}', {data.ToJsonString()}, {layout.ToJsonString()}, {{responsive: true, displaylogo: false}});</script>\n");
        return this;
    }

    /// <summary>Adds HTML the caller built and escaped.</summary>
    public HtmlReport Html(string html)
    {
        _body.Append(html).Append('\n');
        return this;
    }

    /// <summary>The whole page, self-contained: plotly.js inlined when it has charts.</summary>
    public string ToHtml() => ToHtml(plotlyScriptUrl: null);

    /// <summary>
    /// The whole page, loading plotly.js from <paramref name="plotlyScriptUrl"/> (relative to the page) instead of
    /// inlining its 3.6 MB; null inlines it.
    /// </summary>
    public string ToHtml(string? plotlyScriptUrl)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
        page.Append("<title>").Append(Encode(Title)).Append("</title><style>").Append(Css).Append("</style>");
        if (_charts > 0 && plotlyScriptUrl is not null) page.Append("<script src=\"").Append(Encode(plotlyScriptUrl)).Append("\"></script>");
        else if (_charts > 0) page.Append("<script>").Append(PlotlyScript.Value).Append("</script>");
        page.Append("</head><body><h1>").Append(Encode(Title)).Append("</h1>\n");
        page.Append(_body);
        page.Append("<script>").Append(SortScript).Append("</script></body></html>\n");
        return page.ToString();
    }

    /// <summary>Writes <c>report.html</c> and <c>report.json</c> into <paramref name="directory"/>.</summary>
    public async Task WriteAsync(string directory, JsonNode data, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(directory);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "report.html"), ToHtml(), cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, "report.json"), data.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The page style of every report, for pages built elsewhere (the study report) to look the same.</summary>
    public static string StyleSheet => Css;

    /// <summary>HTML-encodes text.</summary>
    public static string Encode(string? text) => WebUtility.HtmlEncode(text ?? "");

    /// <summary>Formats a value for display (invariant culture; doubles to 4 significant digits).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        double d when double.IsNaN(d) => "n/a",
        double d => Math.Abs(d) >= 1e6 || (Math.Abs(d) < 1e-3 && d != 0) ? d.ToString("G4", CultureInfo.InvariantCulture) : Math.Round(d, 4).ToString(CultureInfo.InvariantCulture),
        float f => Format((double)f),
        long or int => Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString("N0", CultureInfo.InvariantCulture),
        bool b => b ? "yes" : "no",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    /// <summary>
    /// Writes plotly.js as <c>plotly-VERSION.min.js</c> into <paramref name="directory"/> unless it is there already,
    /// and returns the file name: pages written often (the run report after every run) load it from there.
    /// </summary>
    public static async Task<string> EnsurePlotlyScriptFileAsync(string directory, CancellationToken cancellationToken = default)
    {
        string name = $"plotly-{PlotlyAssembly.GetName().Version}.min.js";
        string path = Path.Combine(directory, name);
        if (File.Exists(path)) return name;
        Directory.CreateDirectory(directory);
        await using var stream = OpenPlotlyScript();
        using var bytes = new MemoryStream();
        await stream.CopyToAsync(bytes, cancellationToken).ConfigureAwait(false);
        await AtomicFile.WriteAllBytesAsync(path, bytes.ToArray(), cancellationToken).ConfigureAwait(false);
        return name;
    }

    /// <summary>plotly.js as shipped inside Plotly.NET (the one copy the project uses).</summary>
    private static Stream OpenPlotlyScript() =>
        PlotlyAssembly.GetManifestResourceStream(PlotlyAssembly.GetManifestResourceNames().First(n => n.EndsWith(".min.js", StringComparison.Ordinal)))!;

    private static System.Reflection.Assembly PlotlyAssembly => typeof(Plotly.NET.GenericChart).Assembly;

    private static readonly Lazy<string> PlotlyScript = new(() =>
    {
        using var reader = new StreamReader(OpenPlotlyScript());
        // A literal "</script>" inside the library would end the inline block early.
        return reader.ReadToEnd().Replace("</script>", "<\\/script>", StringComparison.OrdinalIgnoreCase);
    });

    private const string Css = """
        body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem auto;max-width:1200px;padding:0 1rem;color:#1f2328}
        h1{font-size:1.8rem;border-bottom:1px solid #d0d7de;padding-bottom:.4rem}h2{margin-top:2rem;font-size:1.3rem}
        .figures{display:flex;flex-wrap:wrap;gap:.8rem;margin:1rem 0}.figure{border:1px solid #d0d7de;border-radius:8px;padding:.6rem 1rem;min-width:9rem}
        .figure .value{font-size:1.4rem;font-weight:600}.figure .label{color:#59636e;font-size:.85rem}
        table{border-collapse:collapse;margin:1rem 0;font-size:.9rem;width:100%}th,td{border:1px solid #d0d7de;padding:.3rem .6rem;text-align:left;vertical-align:top}
        th{background:#f6f8fa;cursor:pointer;user-select:none}td.num{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:.3rem 0}
        .chart{width:100%;height:420px;margin:1rem 0}.ok{color:#1a7f37}.bad{color:#cf222e;font-weight:600}.warn{color:#9a6700}
        .status-ran{color:#0969da}.status-cached{color:#1a7f37}.status-failed{color:#cf222e;font-weight:600}.status-skipped{color:#59636e}
        pre{background:#f6f8fa;padding:.8rem;overflow:auto}
        """;

    private const string SortScript = """
        document.querySelectorAll('table.sortable th').forEach(function(th){th.addEventListener('click',function(){
        var table=th.closest('table'),body=table.tBodies[0],i=Array.prototype.indexOf.call(th.parentNode.children,th),asc=th.dataset.asc!=='1';
        table.querySelectorAll('th').forEach(function(h){delete h.dataset.asc});th.dataset.asc=asc?'1':'0';
        var rows=Array.prototype.slice.call(body.rows);rows.sort(function(a,b){var x=a.cells[i],y=b.cells[i];
        var p=x.dataset.sort!==undefined?parseFloat(x.dataset.sort):NaN,q=y.dataset.sort!==undefined?parseFloat(y.dataset.sort):NaN;
        var c=(!isNaN(p)&&!isNaN(q))?p-q:x.textContent.localeCompare(y.textContent);return asc?c:-c});rows.forEach(function(r){body.appendChild(r)})})});
        """;
}

/// <summary>A table cell holding HTML the caller built (a link, say), not text to escape.</summary>
public sealed record RawHtml(string Html);
