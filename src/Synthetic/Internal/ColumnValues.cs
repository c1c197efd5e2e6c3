using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>Column views used by the reports: numbers as doubles (NaN = null) and labels as strings.</summary>
internal static class ColumnValues
{
    private const long UnixEpochTicks = 621355968000000000L;

    public static bool IsNumeric(TableColumn column) => column.Kind is ColumnKind.Numeric or ColumnKind.Timestamp;

    /// <summary>Numbers, timestamps as seconds since 1970; NaN for null.</summary>
    public static double[] ToDoubles(TableColumn column)
    {
        var result = new double[column.Length];
        switch (column.Values)
        {
            case long?[] l:
                for (int i = 0; i < l.Length; i++)
                {
                    result[i] = l[i] is { } v ? v : double.NaN;
                }

                break;
            case double?[] d:
                for (int i = 0; i < d.Length; i++)
                {
                    result[i] = d[i] ?? double.NaN;
                }

                break;
            case DateTime?[] t:
                for (int i = 0; i < t.Length; i++)
                {
                    result[i] = t[i] is { } v ? (v.Ticks - UnixEpochTicks) / (double)TimeSpan.TicksPerSecond : double.NaN;
                }

                break;
            default:
                throw new ArgumentException($"Column '{column.Name}' is not numeric.");
        }

        return result;
    }

    /// <summary>Labels of a categorical or boolean column; null stays null.</summary>
    public static string?[] ToLabels(TableColumn column) => column.Values switch
    {
        string?[] s => s,
        bool?[] b => b.Select(v => v is { } x ? (x ? "true" : "false") : null).ToArray(),
        _ => Enumerable.Range(0, column.Length).Select(i => Convert.ToString(column.GetValue(i), CultureInfo.InvariantCulture)).ToArray(),
    };
}
