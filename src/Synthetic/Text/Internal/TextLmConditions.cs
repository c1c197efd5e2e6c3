using System.Text.Json;

namespace Pipelines.Synthetic.Text.Internal;

/// <summary>The <c>conditions</c> of a <c>text-lm</c> run: which real rows it learns from and seeds prompts with.</summary>
internal sealed class TextLmConditions
{
    private readonly (TableColumn Column, object Value)[] _conditions;

    private TextLmConditions((TableColumn Column, object Value)[] conditions) => _conditions = conditions;

    /// <summary>The conditioned column names, sorted.</summary>
    public IEnumerable<string> Columns => _conditions.Select(c => c.Column.Name);

    /// <summary>Checks every condition names a column and has a value of that column's type.</summary>
    /// <exception cref="ArgumentException">Unknown column or a value of the wrong type.</exception>
    public static TextLmConditions Parse(Dictionary<string, JsonElement>? conditions, ColumnTable table)
    {
        var parsed = new List<(TableColumn, object)>();
        foreach (var (name, value) in (conditions ?? []).OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (table.IndexOf(name) < 0)
            {
                throw new ArgumentException(
                    $"'conditions' names unknown column '{name}'. The table has: {string.Join(", ", table.Columns.Select(c => c.Name))}.");
            }

            var column = table[name];
            object? typed = (column.Storage, value.ValueKind) switch
            {
                (ColumnStorage.String, JsonValueKind.String) => value.GetString(),
                (ColumnStorage.Boolean, JsonValueKind.True) => true,
                (ColumnStorage.Boolean, JsonValueKind.False) => false,
                (ColumnStorage.Int64, JsonValueKind.Number) when value.TryGetInt64(out long l) => l,
                (ColumnStorage.Double, JsonValueKind.Number) => value.GetDouble(),
                _ => null,
            };
            parsed.Add((column, typed ?? throw new ArgumentException(
                $"'conditions.{name}' must be a {column.Storage.ToString().ToLowerInvariant()} value like the column's. You entered {value.GetRawText()}.")));
        }

        return new TextLmConditions([.. parsed]);
    }

    /// <summary>Indices of the rows that meet every condition, ascending.</summary>
    /// <exception cref="ArgumentException">No row does.</exception>
    public int[] MatchingRows(ColumnTable table)
    {
        var rows = Enumerable.Range(0, table.RowCount)
            .Where(r => _conditions.All(c => c.Column.GetValue(r) is { } v && v.Equals(c.Value)))
            .ToArray();
        if (rows.Length == 0)
        {
            throw new ArgumentException(
                $"No row of the table has {string.Join(" and ", _conditions.Select(c => $"{c.Column.Name} = {c.Value}"))}: text-lm needs real rows of the conditioned group to learn from.");
        }

        return rows;
    }
}
