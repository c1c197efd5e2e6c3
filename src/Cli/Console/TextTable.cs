using System.Text;
using Spectre.Console;

namespace Pipelines.Cli.Console;

/// <summary>Headers and string cells printed as a console table or as CSV (RFC 4180 quoting), so every verb's tables look alike.</summary>
internal sealed class TextTable(IReadOnlyList<string> headers)
{
    private readonly List<string[]> _rows = [];

    public IReadOnlyList<string> Headers { get; } = headers;

    public void Add(params string[] cells) => _rows.Add(cells);

    public void Print(ConsoleOutput output)
    {
        var table = new Table().Border(output.Rich ? TableBorder.Rounded : TableBorder.Ascii);
        foreach (var h in Headers) table.AddColumn(Markup.Escape(h));
        foreach (var row in _rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        output.Console.Write(table);
    }

    public void WriteCsv(TextWriter writer)
    {
        writer.WriteLine(string.Join(",", Headers.Select(Quote)));
        foreach (var row in _rows) writer.WriteLine(string.Join(",", row.Select(Quote)));
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
