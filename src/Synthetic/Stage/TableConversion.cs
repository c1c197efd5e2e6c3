using Pipelines.Core.Tables;

namespace Pipelines.Synthetic;

/// <summary>Moves columns between Core's <see cref="TableBatch"/> and <see cref="ColumnTable"/> without copying values.</summary>
internal static class TableConversion
{
    public static ColumnTable ToColumnTable(TableBatch batch, string? exclude = null) =>
        new(batch.Schema.Columns.Select((c, i) => (c, i))
            .Where(p => p.c.Name != exclude)
            .Select(p => TableColumn.FromArray(p.c.Name, batch.Column(p.i))));

    public static ColumnType ToColumnType(ColumnStorage storage) => storage switch
    {
        ColumnStorage.Boolean => ColumnType.Boolean,
        ColumnStorage.Int64 => ColumnType.Int64,
        ColumnStorage.Double => ColumnType.Double,
        ColumnStorage.String => ColumnType.String,
        _ => ColumnType.Timestamp,
    };

    /// <summary>A batch of <paramref name="table"/> plus a constant string column (e.g. <c>_source</c>).</summary>
    public static TableBatch ToBatch(ColumnTable table, string constantColumn, string constantValue)
    {
        var schema = new TableSchema(table.Columns.Select(c => new ColumnSchema(c.Name, ToColumnType(c.Storage)))
            .Append(new ColumnSchema(constantColumn, ColumnType.String, Nullable: false)));
        var constant = new string?[table.RowCount];
        Array.Fill(constant, constantValue);
        return new TableBatch(schema, table.RowCount, table.Columns.Select(c => c.Values).Append(constant).ToArray());
    }
}
