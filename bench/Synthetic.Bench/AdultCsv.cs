using System.Globalization;

namespace Pipelines.Synthetic.Bench;

/// <summary>Reads the UCI Adult file (raw <c>adult.data</c> without header, or a CSV with a header) into a column table.</summary>
internal static class AdultCsv
{
    private static readonly string[] Names =
    [
        "age", "workclass", "fnlwgt", "education", "education_num", "marital_status", "occupation", "relationship",
        "race", "sex", "capital_gain", "capital_loss", "hours_per_week", "native_country", "income",
    ];

    private static readonly HashSet<string> Integers = ["age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week"];

    public static ColumnTable Load(string path)
    {
        var lines = File.ReadLines(path).Where(l => l.Trim().Length > 0).ToList();
        bool header = !char.IsDigit(lines[0].TrimStart()[0]);
        var names = header ? lines[0].Split(',').Select(n => n.Trim().Replace('-', '_')).ToArray() : Names;
        var rows = lines.Skip(header ? 1 : 0).Select(l => l.Split(',').Select(c => c.Trim().TrimEnd('.')).ToArray()).ToList();
        return new ColumnTable(names.Select((name, c) =>
        {
            var cells = rows.Select(r => r[c] is "?" or "" ? null : r[c]).ToArray();
            return Integers.Contains(name)
                ? TableColumn.FromInt64(name, cells.Select(v => v is null ? (long?)null : long.Parse(v, CultureInfo.InvariantCulture)).ToArray())
                : TableColumn.FromStrings(name, cells);
        }));
    }
}
