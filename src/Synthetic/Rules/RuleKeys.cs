using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>Values as comparable keys (null is its own key), and typed values written back into a column.</summary>
internal static class RuleKeys
{
    public const string Null = "\u0000null";

    public static string[] Of(TableColumn column)
    {
        var labels = ColumnValues.ToLabels(column);
        var keys = new string[labels.Length];
        for (int i = 0; i < keys.Length; i++)
        {
            keys[i] = column.IsNull(i) ? Null : labels[i]!;
        }

        return keys;
    }

    /// <summary>A copy of <paramref name="column"/> with the given rows set to typed values (null clears).</summary>
    public static TableColumn With(TableColumn column, IReadOnlyDictionary<int, object?> values)
    {
        var copy = (Array)column.Values.Clone();
        foreach (var (row, value) in values)
        {
            copy.SetValue(value, row);
        }

        return TableColumn.FromArray(column.Name, copy);
    }

    public static string Show(string key) => key == Null ? "null" : key;

    public static string Share(int rows, int total) => string.Create(CultureInfo.InvariantCulture, $"{rows} of {total} real rows");
}
