namespace Pipelines.Core.Tables;

/// <summary>The ordered columns of a table. Column names are unique (ordinal comparison).</summary>
public sealed class TableSchema : IEquatable<TableSchema>
{
    private readonly Dictionary<string, int> _indexByName;

    /// <summary>Creates a schema; throws when two columns share a name.</summary>
    public TableSchema(IEnumerable<ColumnSchema> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = columns.ToArray();
        _indexByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < Columns.Count; i++)
        {
            if (!_indexByName.TryAdd(Columns[i].Name, i))
                throw new ArgumentException($"Column '{Columns[i].Name}' appears more than once in the schema.", nameof(columns));
        }
    }

    /// <summary>The columns in order.</summary>
    public IReadOnlyList<ColumnSchema> Columns { get; }

    /// <summary>The index of the named column, or -1 when absent.</summary>
    public int IndexOf(string name) => _indexByName.TryGetValue(name, out int i) ? i : -1;

    /// <summary>The named column, or null.</summary>
    public ColumnSchema? Find(string name) => IndexOf(name) is var i and >= 0 ? Columns[i] : null;

    /// <summary>The named column; throws a user-facing error naming the available columns when absent.</summary>
    public ColumnSchema Get(string name) =>
        Find(name) ?? throw new InvalidDataException(
            $"Column '{name}' does not exist. The table has: {string.Join(", ", Columns.Select(c => c.Name))}.");

    /// <summary>A new schema with <paramref name="column"/> appended.</summary>
    public TableSchema Append(ColumnSchema column) => new(Columns.Append(column));

    /// <inheritdoc />
    public bool Equals(TableSchema? other) => other is not null && Columns.SequenceEqual(other.Columns);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as TableSchema);

    /// <inheritdoc />
    public override int GetHashCode() => Columns.Aggregate(17, (h, c) => h * 31 + c.GetHashCode());

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(", ", Columns.Select(c => $"{c.Name}: {ColumnSchema.TypeName(c.Type)}{(c.Nullable ? "?" : "")}"));
}
