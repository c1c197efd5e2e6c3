using System.Globalization;

namespace Pipelines.Synthetic.Tests;

/// <summary>Loads the Adult CSV slice shipped with the tests (see Data/README.md) as a column table.</summary>
public static class AdultData
{
    private static readonly HashSet<string> IntegerColumns =
        ["age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week"];

    private static ColumnTable? s_cached;

    /// <summary>The 5,000-row slice.</summary>
    public static ColumnTable Load() => s_cached ??= LoadCsv(Path.Combine(TestContext.CurrentContext.TestDirectory, "Data", "adult-5k.csv"));

    /// <summary>Reads an Adult-layout CSV with a header row; '?' or empty is null.</summary>
    public static ColumnTable LoadCsv(string path, int maxRows = int.MaxValue)
    {
        var lines = File.ReadLines(path).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        int rows = Math.Min(lines.Count - 1, maxRows);
        var cells = new string?[header.Length][];
        for (int c = 0; c < header.Length; c++)
        {
            cells[c] = new string?[rows];
        }

        for (int r = 0; r < rows; r++)
        {
            var parts = lines[r + 1].Split(',');
            for (int c = 0; c < header.Length; c++)
            {
                string v = parts[c].Trim();
                cells[c][r] = v is "?" or "" ? null : v;
            }
        }

        return new ColumnTable(header.Select((name, c) => IntegerColumns.Contains(name)
            ? TableColumn.FromInt64(name, cells[c].Select(v => v is null ? (long?)null : long.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            : TableColumn.FromStrings(name, cells[c])));
    }
}
