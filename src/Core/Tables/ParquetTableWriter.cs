using Parquet;
using Parquet.Schema;

namespace Pipelines.Core.Tables;

/// <summary>
/// Writes <see cref="TableBatch"/>es to a Parquet file, one row group per batch (snappy). The one
/// Parquet writer of the project: output is byte-identical for identical batches.
/// </summary>
public sealed class ParquetTableWriter : IAsyncDisposable
{
    /// <summary>Rows per row group that batch-wise stages aim for.</summary>
    public const int DefaultRowGroupSize = 65_536;

    private readonly Stream _stream;
    private readonly ParquetWriter _writer;
    private readonly DataField[] _fields;

    private ParquetTableWriter(Stream stream, ParquetWriter writer, DataField[] fields, TableSchema schema)
    {
        _stream = stream;
        _writer = writer;
        _fields = fields;
        Schema = schema;
    }

    /// <summary>The columns every batch must have.</summary>
    public TableSchema Schema { get; }

    /// <summary>Rows written so far.</summary>
    public long RowCount { get; private set; }

    /// <summary>Key-value metadata written into the file's footer when it is closed (sorted, so the bytes are stable).</summary>
    public IDictionary<string, string> Metadata { get; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Creates (or truncates) the file at <paramref name="path"/>.</summary>
    public static async Task<ParquetTableWriter> CreateAsync(string path, TableSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var parquetSchema = new ParquetSchema(schema.Columns.Select(ToField).ToArray());
        // The leaf fields, one per column in order (a list column's leaf is its element).
        var fields = parquetSchema.GetDataFields();
        var stream = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);
        try
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy };
            var writer = await ParquetWriter.CreateAsync(parquetSchema, stream, options, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new ParquetTableWriter(stream, writer, fields, schema);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Writes one batch as one row group. Empty batches are skipped.</summary>
    public async Task WriteBatchAsync(TableBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!batch.Schema.Equals(Schema))
            throw new ArgumentException($"Batch schema [{batch.Schema}] differs from the writer's [{Schema}].", nameof(batch));
        if (batch.RowCount == 0) return;
        using var group = _writer.CreateRowGroup();
        for (int c = 0; c < _fields.Length; c++)
        {
            var column = Schema.Columns[c];
            var field = _fields[c];
            switch (batch.Column(c))
            {
                case string?[] s:
                    if (!column.Nullable) EnsureNoNulls(column, s);
                    await group.WriteAsync(field, s, null).ConfigureAwait(false);
                    break;
                case bool?[] b: await WriteAsync(group, field, column, b, cancellationToken).ConfigureAwait(false); break;
                case long?[] l: await WriteAsync(group, field, column, l, cancellationToken).ConfigureAwait(false); break;
                case double?[] d: await WriteAsync(group, field, column, d, cancellationToken).ConfigureAwait(false); break;
                case DateTime?[] t: await WriteAsync(group, field, column, t, cancellationToken).ConfigureAwait(false); break;
                case float[]?[] v: await WriteListAsync(group, field, column, v, cancellationToken).ConfigureAwait(false); break;
                default: throw new InvalidOperationException($"Unexpected array type for column '{column.Name}'.");
            }
        }
        RowCount += batch.RowCount;
    }

    /// <summary>Writes a whole table to <paramref name="path"/> in row groups of <paramref name="rowGroupSize"/> rows.</summary>
    public static async Task WriteFileAsync(string path, TableBatch table, int rowGroupSize = DefaultRowGroupSize, CancellationToken cancellationToken = default)
    {
        await using var writer = await CreateAsync(path, table.Schema, cancellationToken).ConfigureAwait(false);
        if (table.RowCount <= rowGroupSize)
        {
            await writer.WriteBatchAsync(table, cancellationToken).ConfigureAwait(false);
            return;
        }
        for (int start = 0; start < table.RowCount; start += rowGroupSize)
        {
            int count = Math.Min(rowGroupSize, table.RowCount - start);
            var arrays = new Array[table.Schema.Columns.Count];
            for (int c = 0; c < arrays.Length; c++)
            {
                arrays[c] = table.Schema.Columns[c].CreateArray(count);
                Array.Copy(table.Column(c), start, arrays[c], 0, count);
            }
            await writer.WriteBatchAsync(new TableBatch(table.Schema, count, arrays), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Metadata.Count > 0) _writer.CustomMetadata = new Dictionary<string, string>(Metadata);
        await _writer.DisposeAsync().ConfigureAwait(false);
        await _stream.FlushAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task WriteAsync<T>(ParquetRowGroupWriter group, DataField field, ColumnSchema column, T?[] values, CancellationToken ct) where T : struct
    {
        if (column.Nullable)
        {
            await group.WriteAsync<T>(field, values.AsMemory(), null, null, ct).ConfigureAwait(false);
            return;
        }
        var dense = new T[values.Length];
        for (int i = 0; i < values.Length; i++)
            dense[i] = values[i] ?? throw new InvalidDataException($"Column '{column.Name}' is declared not nullable but row {i} is null.");
        await group.WriteAsync<T>(field, dense.AsMemory(), null, null, ct).ConfigureAwait(false);
    }

    // A list<float> column as Parquet's three-level list: the values flattened, repetition level 0 where a row starts,
    // definition levels saying null row / empty list / element.
    private static async Task WriteListAsync(ParquetRowGroupWriter group, DataField field, ColumnSchema column, float[]?[] rows, CancellationToken ct)
    {
        int entries = 0, values = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            if (rows[i] is null && !column.Nullable)
                throw new InvalidDataException($"Column '{column.Name}' is declared not nullable but row {i} is null.");
            entries += Math.Max(1, rows[i]?.Length ?? 0);
            values += rows[i]?.Length ?? 0;
        }
        var flat = new float[values];
        var definition = new int[entries];
        var repetition = new int[entries];
        int maxDefinition = field.MaxDefinitionLevel, e = 0, v = 0;
        foreach (var row in rows)
        {
            if (row is null || row.Length == 0)
            {
                // Null row: the list is undefined; empty list: defined, no element.
                definition[e] = row is null ? 0 : maxDefinition - 1;
                repetition[e++] = 0;
                continue;
            }
            for (int j = 0; j < row.Length; j++)
            {
                definition[e] = maxDefinition;
                repetition[e++] = j == 0 ? 0 : 1;
            }
            row.CopyTo(flat, v);
            v += row.Length;
        }
        await group.WriteAllPartsAsync<float>(field, flat, definition, repetition, ct).ConfigureAwait(false);
    }

    private static void EnsureNoNulls(ColumnSchema column, string?[] values)
    {
        int i = Array.IndexOf(values, null);
        if (i >= 0) throw new InvalidDataException($"Column '{column.Name}' is declared not nullable but row {i} is null.");
    }

    private static Field ToField(ColumnSchema c) => c.Type switch
    {
        ColumnType.Boolean => c.Nullable ? new DataField<bool?>(c.Name) : new DataField<bool>(c.Name),
        ColumnType.Int64 => c.Nullable ? new DataField<long?>(c.Name) : new DataField<long>(c.Name),
        ColumnType.Double => c.Nullable ? new DataField<double?>(c.Name) : new DataField<double>(c.Name),
        ColumnType.String => new DataField<string>(c.Name, c.Nullable),
        ColumnType.Timestamp => c.Nullable ? new DataField<DateTime?>(c.Name) : new DataField<DateTime>(c.Name),
        ColumnType.FloatList => new ListField(c.Name, new DataField<float>(ListField.ElementName)),
        _ => throw new ArgumentOutOfRangeException(nameof(c)),
    };
}
