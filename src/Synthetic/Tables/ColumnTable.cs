namespace Pipelines.Synthetic;

/// <summary>An in-memory table of equally long, uniquely named <see cref="TableColumn"/>s.</summary>
public sealed class ColumnTable
{
    private readonly Dictionary<string, int> _indexByName;

    /// <summary>Creates a table; checks that names are unique and lengths agree.</summary>
    /// <exception cref="ArgumentException">Duplicate names or columns of different lengths.</exception>
    public ColumnTable(IEnumerable<TableColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns.ToArray();
        _indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Columns.Count; i++)
        {
            var column = Columns[i];
            if (!_indexByName.TryAdd(column.Name, i))
            {
                throw new ArgumentException($"Column '{column.Name}' appears more than once.", nameof(columns));
            }

            if (column.Length != Columns[0].Length)
            {
                throw new ArgumentException(
                    $"Column '{column.Name}' has {column.Length} rows but column '{Columns[0].Name}' has {Columns[0].Length}.",
                    nameof(columns));
            }
        }

        RowCount = Columns.Count == 0 ? 0 : Columns[0].Length;
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<TableColumn> Columns { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Index of the named column, or -1.</summary>
    public int IndexOf(string name) => _indexByName.TryGetValue(name, out int i) ? i : -1;

    /// <summary>The named column.</summary>
    /// <exception cref="ArgumentException">No column has that name.</exception>
    public TableColumn this[string name] => IndexOf(name) is var i and >= 0
        ? Columns[i]
        : throw new ArgumentException(
            $"Unknown column '{name}'. The table has: {string.Join(", ", Columns.Select(c => c.Name))}.", nameof(name));

    /// <summary>Rows <paramref name="start"/> to <paramref name="start"/> + <paramref name="count"/> as a new table.</summary>
    public ColumnTable Slice(int start, int count) =>
        new(Columns.Select(c => TableColumn.FromArray(c.Name, SliceArray(c.Values, start, count))));

    /// <summary>The given rows (by index) as a new table.</summary>
    public ColumnTable Take(IReadOnlyList<int> rows) =>
        new(Columns.Select(c => TableColumn.FromArray(c.Name, TakeArray(c.Values, rows))));

    /// <summary>Stacks tables with the same column names and storage types.</summary>
    /// <exception cref="ArgumentException">The schemas differ.</exception>
    public static ColumnTable Concat(IReadOnlyList<ColumnTable> tables)
    {
        ArgumentNullException.ThrowIfNull(tables);
        if (tables.Count == 0)
        {
            throw new ArgumentException("At least one table is needed.", nameof(tables));
        }

        var first = tables[0];
        foreach (var t in tables)
        {
            bool same = t.Columns.Count == first.Columns.Count && t.Columns.Select((c, i) =>
                c.Name == first.Columns[i].Name && c.Storage == first.Columns[i].Storage).All(x => x);
            if (!same)
            {
                throw new ArgumentException("Tables to concatenate must have the same columns and types.", nameof(tables));
            }
        }

        int total = tables.Sum(t => t.RowCount);
        var columns = new List<TableColumn>(first.Columns.Count);
        for (int c = 0; c < first.Columns.Count; c++)
        {
            var elementType = first.Columns[c].Values.GetType().GetElementType()!;
            var target = Array.CreateInstance(elementType, total);
            int offset = 0;
            foreach (var t in tables)
            {
                Array.Copy(t.Columns[c].Values, 0, target, offset, t.RowCount);
                offset += t.RowCount;
            }

            columns.Add(TableColumn.FromArray(first.Columns[c].Name, target));
        }

        return new ColumnTable(columns);
    }

    private static Array SliceArray(Array source, int start, int count)
    {
        var target = Array.CreateInstance(source.GetType().GetElementType()!, count);
        Array.Copy(source, start, target, 0, count);
        return target;
    }

    private static Array TakeArray(Array source, IReadOnlyList<int> rows)
    {
        var target = Array.CreateInstance(source.GetType().GetElementType()!, rows.Count);
        for (int i = 0; i < rows.Count; i++)
        {
            target.SetValue(source.GetValue(rows[i]), i);
        }

        return target;
    }
}
