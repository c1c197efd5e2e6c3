namespace Pipelines.Core.Tables;

/// <summary>
/// A block of rows held column-wise: one nullable-typed array per column (<c>long?[]</c>, <c>string?[]</c>...).
/// A row group read from Parquet is one batch.
/// </summary>
public sealed class TableBatch
{
    private readonly Array[] _columns;

    /// <summary>Creates a batch; each array's element type must match its column and hold <paramref name="rowCount"/> values.</summary>
    public TableBatch(TableSchema schema, int rowCount, IReadOnlyList<Array> columns)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        if (columns.Count != schema.Columns.Count)
            throw new ArgumentException($"The schema has {schema.Columns.Count} columns but {columns.Count} arrays were given.", nameof(columns));
        for (int i = 0; i < columns.Count; i++)
        {
            var column = schema.Columns[i];
            if (columns[i].GetType().GetElementType() != column.ElementType)
                throw new ArgumentException($"Column '{column.Name}' needs a {column.ElementType.Name}[] but got {columns[i].GetType().Name}.", nameof(columns));
            if (columns[i].Length != rowCount)
                throw new ArgumentException($"Column '{column.Name}' has {columns[i].Length} values but the batch has {rowCount} rows.", nameof(columns));
        }
        Schema = schema;
        RowCount = rowCount;
        _columns = columns.ToArray();
    }

    /// <summary>The columns' names and types.</summary>
    public TableSchema Schema { get; }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The array of column <paramref name="index"/>.</summary>
    public Array Column(int index) => _columns[index];

    /// <summary>The array of the named column, typed: <c>Column&lt;long&gt;("age")</c> is a <c>long?[]</c>.</summary>
    public T?[] Column<T>(string name) where T : struct =>
        Named(name) as T?[] ?? throw new InvalidDataException($"Column '{name}' is {ColumnSchema.TypeName(Schema.Get(name).Type)}, not {typeof(T).Name}.");

    /// <summary>The named string column.</summary>
    public string?[] StringColumn(string name) =>
        Named(name) as string?[] ?? throw new InvalidDataException($"Column '{name}' is {ColumnSchema.TypeName(Schema.Get(name).Type)}, not string.");

    private Array Named(string name)
    {
        int index = Schema.IndexOf(name);
        return index >= 0 ? _columns[index] : _columns[Schema.IndexOf(Schema.Get(name).Name)]; // Get throws the user-facing error
    }

    /// <summary>All column arrays in schema order.</summary>
    public IReadOnlyList<Array> Columns => _columns;

    /// <summary>The value at (row, column) boxed, or null. For display and tests, not hot paths.</summary>
    public object? GetValue(int row, int column) => _columns[column].GetValue(row);

    /// <summary>A new batch of the rows whose indices are given, in that order.</summary>
    public TableBatch Select(ReadOnlySpan<int> rows)
    {
        var arrays = new Array[_columns.Length];
        for (int c = 0; c < _columns.Length; c++)
        {
            arrays[c] = _columns[c] switch
            {
                bool?[] a => Gather(a, rows),
                long?[] a => Gather(a, rows),
                double?[] a => Gather(a, rows),
                string?[] a => Gather(a, rows),
                DateTime?[] a => Gather(a, rows),
                float[]?[] a => Gather(a, rows),
                _ => throw new InvalidOperationException($"Unexpected array type for column '{Schema.Columns[c].Name}'."),
            };
        }
        return new TableBatch(Schema, rows.Length, arrays);
    }

    // Typed gather: Array.GetValue/SetValue would box every cell.
    private static T[] Gather<T>(T[] source, ReadOnlySpan<int> rows)
    {
        var target = new T[rows.Length];
        for (int r = 0; r < rows.Length; r++) target[r] = source[rows[r]];
        return target;
    }

    /// <summary>Concatenates batches of one schema into one batch.</summary>
    public static TableBatch Concat(TableSchema schema, IReadOnlyList<TableBatch> batches)
    {
        int total = batches.Sum(b => b.RowCount);
        var arrays = new Array[schema.Columns.Count];
        for (int c = 0; c < arrays.Length; c++)
        {
            arrays[c] = schema.Columns[c].CreateArray(total);
            int offset = 0;
            foreach (var batch in batches)
            {
                if (!batch.Schema.Equals(schema))
                    throw new ArgumentException($"Cannot concatenate tables with different schemas: [{batch.Schema}] vs [{schema}].");
                Array.Copy(batch._columns[c], 0, arrays[c], offset, batch.RowCount);
                offset += batch.RowCount;
            }
        }
        return new TableBatch(schema, total, arrays);
    }

    /// <summary>An empty batch of the schema.</summary>
    public static TableBatch Empty(TableSchema schema) =>
        new(schema, 0, schema.Columns.Select(c => c.CreateArray(0)).ToArray());
}
