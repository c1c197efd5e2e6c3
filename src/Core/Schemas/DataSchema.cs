namespace Pipelines.Core.Schemas;

/// <summary>
/// A dataset contract (<c>data-schemas/*.yaml</c>): columns with types, nullability, ranges, allowed values,
/// patterns and uniqueness, plus bounds on the row count.
/// </summary>
public sealed class DataSchema
{
    /// <summary>Creates a schema.</summary>
    public DataSchema(string name, IReadOnlyList<DataSchemaColumn> columns, long? minRows = null, long? maxRows = null, bool allowExtraColumns = true, string? source = null)
    {
        Name = name;
        Columns = columns;
        MinRows = minRows;
        MaxRows = maxRows;
        AllowExtraColumns = allowExtraColumns;
        Source = source;
    }

    /// <summary>The schema's name.</summary>
    public string Name { get; }

    /// <summary>Declared columns in order.</summary>
    public IReadOnlyList<DataSchemaColumn> Columns { get; }

    /// <summary>Fewest rows allowed.</summary>
    public long? MinRows { get; }

    /// <summary>Most rows allowed.</summary>
    public long? MaxRows { get; }

    /// <summary>Whether a table may have columns the schema does not declare (default true).</summary>
    public bool AllowExtraColumns { get; }

    /// <summary>The file it was loaded from.</summary>
    public string? Source { get; }

    /// <summary>The table schema the contract describes (for ingest).</summary>
    public Tables.TableSchema ToTableSchema() => new(Columns.Select(c => new Tables.ColumnSchema(c.Name, c.Type, c.Nullable)));
}
