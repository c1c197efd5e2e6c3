using System.Text;
using System.Text.Json;

namespace Pipelines.Cli.Tests;

/// <summary>The charts of a page written with Core's HtmlReport, read back from its <c>Plotly.newPlot(id, data, layout, ...)</c> calls.</summary>
internal sealed record PlotlyCharts(string Title, JsonElement Data)
{
    public JsonElement Trace(string name) => Data.EnumerateArray().Single(t => t.GetProperty("name").GetString() == name);

    public string[] Names => Data.EnumerateArray().Select(t => t.GetProperty("name").GetString()!).ToArray();

    public static IReadOnlyList<PlotlyCharts> Parse(string html)
    {
        const string call = "<script>Plotly.newPlot('";
        var charts = new List<PlotlyCharts>();
        for (int at = html.IndexOf(call, StringComparison.Ordinal); at >= 0; at = html.IndexOf(call, at + 1, StringComparison.Ordinal))
        {
            int data = html.IndexOf("', ", at + call.Length, StringComparison.Ordinal) + 3;
            var bytes = Encoding.UTF8.GetBytes(html[data..html.IndexOf("</script>", data, StringComparison.Ordinal)]);
            var reader = new Utf8JsonReader(bytes);
            using var traces = JsonDocument.ParseValue(ref reader);
            int layoutStart = (int)reader.BytesConsumed + 2; // ", "
            var layoutReader = new Utf8JsonReader(bytes.AsSpan(layoutStart));
            using var layout = JsonDocument.ParseValue(ref layoutReader);
            charts.Add(new PlotlyCharts(layout.RootElement.GetProperty("title").GetProperty("text").GetString()!, traces.RootElement.Clone()));
        }
        return charts;
    }
}
