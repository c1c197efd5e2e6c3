namespace Pipelines.Synthetic;

/// <summary>
/// One named column of a <see cref="ColumnTable"/>: a nullable typed array
/// (<c>bool?[]</c>, <c>long?[]</c>, <c>double?[]</c>, <c>string?[]</c> or <c>DateTime?[]</c>).
/// </summary>
public sealed class TableColumn
{
    private TableColumn(string name, ColumnStorage storage, Array values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Storage = storage;
        Values = values;
        Kind = storage switch
        {
            ColumnStorage.Boolean => ColumnKind.Boolean,
            ColumnStorage.Int64 or ColumnStorage.Double => ColumnKind.Numeric,
            ColumnStorage.String => ColumnKind.Categorical,
            _ => ColumnKind.Timestamp,
        };
    }

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>Element type of <see cref="Values"/>.</summary>
    public ColumnStorage Storage { get; }

    /// <summary>How synthesizers model the column (follows from <see cref="Storage"/>).</summary>
    public ColumnKind Kind { get; }

    /// <summary>The values; the array type matches <see cref="Storage"/>.</summary>
    public Array Values { get; }

    /// <summary>Number of rows.</summary>
    public int Length => Values.Length;

    /// <summary>Creates a boolean column.</summary>
    public static TableColumn FromBooleans(string name, bool?[] values) => new(name, ColumnStorage.Boolean, values);

    /// <summary>Creates an integer column.</summary>
    public static TableColumn FromInt64(string name, long?[] values) => new(name, ColumnStorage.Int64, values);

    /// <summary>Creates a floating-point column.</summary>
    public static TableColumn FromDoubles(string name, double?[] values) => new(name, ColumnStorage.Double, values);

    /// <summary>Creates a categorical (string) column.</summary>
    public static TableColumn FromStrings(string name, string?[] values) => new(name, ColumnStorage.String, values);

    /// <summary>Creates a timestamp column (values are treated as UTC).</summary>
    public static TableColumn FromTimestamps(string name, DateTime?[] values) => new(name, ColumnStorage.Timestamp, values);

    /// <summary>Wraps an array whose element type is one of the supported nullable types.</summary>
    /// <exception cref="ArgumentException">The array type is not supported.</exception>
    public static TableColumn FromArray(string name, Array values) => values switch
    {
        bool?[] b => FromBooleans(name, b),
        long?[] l => FromInt64(name, l),
        double?[] d => FromDoubles(name, d),
        string?[] s => FromStrings(name, s),
        DateTime?[] t => FromTimestamps(name, t),
        _ => throw new ArgumentException(
            $"Column '{name}' has values of type {values.GetType().Name}; expected bool?[], long?[], double?[], string?[] or DateTime?[].",
            nameof(values)),
    };

    /// <summary>Whether the value in row <paramref name="row"/> is null.</summary>
    public bool IsNull(int row) => Values switch
    {
        bool?[] b => !b[row].HasValue,
        long?[] l => !l[row].HasValue,
        double?[] d => !d[row].HasValue || double.IsNaN(d[row]!.Value),
        string?[] s => s[row] is null,
        DateTime?[] t => !t[row].HasValue,
        _ => true,
    };

    /// <summary>Number of null values.</summary>
    public int NullCount()
    {
        int count = 0;
        for (int i = 0; i < Length; i++)
        {
            if (IsNull(i))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>The value in row <paramref name="row"/> as an object (null when missing).</summary>
    public object? GetValue(int row) => IsNull(row) ? null : Values.GetValue(row);
}
