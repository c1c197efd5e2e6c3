using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace Pipelines.Core.Tables;

/// <summary>
/// Reads a Parquet file as <see cref="TableBatch"/>es, one row group at a time, so memory stays bounded
/// by the largest row group. Reads files written by other tools; integer, float, decimal and date
/// types are widened to the five <see cref="ColumnType"/>s.
/// </summary>
public sealed class ParquetTableReader : IAsyncDisposable
{
    private readonly ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly string _path;

    private ParquetTableReader(string path, ParquetReader reader, DataField[] fields, TableSchema schema, long rowCount)
    {
        _path = path;
        _reader = reader;
        _fields = fields;
        Schema = schema;
        RowCount = rowCount;
    }

    /// <summary>The table's columns.</summary>
    public TableSchema Schema { get; }

    /// <summary>Total rows over all row groups.</summary>
    public long RowCount { get; }

    /// <summary>The file's key-value metadata (empty when it has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _reader.CustomMetadata;

    /// <summary>Number of row groups (batches).</summary>
    public int RowGroupCount => _reader.RowGroupCount;

    /// <summary>Opens a Parquet file; a file that is not Parquet or has nested columns is a user-facing error.</summary>
    public static async Task<ParquetTableReader> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or NotSupportedException or ArgumentException
                                   || ex.GetType().Namespace?.StartsWith("Parquet", StringComparison.Ordinal) == true)
        {
            if (ex is FileNotFoundException or DirectoryNotFoundException) throw;
            throw new InvalidDataException($"{path}: not a readable Parquet file ({ex.Message}).", ex);
        }

        try
        {
            var fields = reader.Schema.GetDataFields();
            if (fields.Length != reader.Schema.Fields.Count || fields.Any(f => f.IsArray && !IsFloatList(reader.Schema.Fields[Array.IndexOf(fields, f)], f)))
                throw new InvalidDataException($"{path}: nested or repeated Parquet columns other than lists of floats are not supported; flatten the table first.");
            var columns = fields.Select((f, i) => reader.Schema.Fields[i] is ListField list
                ? new ColumnSchema(list.Name, ColumnType.FloatList, Nullable: true)
                : new ColumnSchema(f.Name, MapType(path, f), f.IsNullable)).ToArray();
            long rows = 0;
            for (int i = 0; i < reader.RowGroupCount; i++)
            {
                using var group = reader.OpenRowGroupReader(i);
                rows += group.RowCount;
            }
            return new ParquetTableReader(path, reader, fields, new TableSchema(columns), rows);
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Reads row group <paramref name="index"/>.</summary>
    public async Task<TableBatch> ReadRowGroupAsync(int index, CancellationToken cancellationToken = default)
    {
        using var group = _reader.OpenRowGroupReader(index);
        int rows = checked((int)group.RowCount);
        var arrays = new Array[_fields.Length];
        for (int c = 0; c < _fields.Length; c++)
            arrays[c] = await ReadColumnAsync(group, _fields[c], Schema.Columns[c], rows, cancellationToken).ConfigureAwait(false);
        return new TableBatch(Schema, rows, arrays);
    }

    /// <summary>Streams the row groups in order.</summary>
    public async IAsyncEnumerable<TableBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (int i = 0; i < RowGroupCount; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return await ReadRowGroupAsync(i, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the whole table into one batch (for stages that need all rows at once).</summary>
    public async Task<TableBatch> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        var batches = new List<TableBatch>(RowGroupCount);
        await foreach (var batch in ReadBatchesAsync(cancellationToken).ConfigureAwait(false)) batches.Add(batch);
        return batches.Count == 1 ? batches[0] : TableBatch.Concat(Schema, batches);
    }

    /// <summary>Opens, reads everything and closes.</summary>
    public static async Task<TableBatch> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var reader = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        return await reader.ReadAllAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    // A top-level list whose element is a float (what the embed stage writes, and pyarrow's list<float>).
    private static bool IsFloatList(Field top, DataField leaf) =>
        top is ListField { Item: DataField item } && ReferenceEquals(item, leaf) && (Nullable.GetUnderlyingType(leaf.ClrType) ?? leaf.ClrType) == typeof(float);

    private static async Task<float[]?[]> ReadListAsync(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct)
    {
        // One definition and repetition level per list entry (a null or empty list is one entry without a value).
        int entries = checked((int)(group.GetMetadata(field)?.MetaData?.NumValues ?? throw new InvalidDataException($"List column '{field.Name}' has no column chunk metadata.")));
        var values = new float[entries];
        var definition = new int[entries];
        var repetition = new int[entries];
        await group.ReadRawAsync<float>(field, values, definition, repetition, ct).ConfigureAwait(false);
        int maxDefinition = field.MaxDefinitionLevel;
        var result = new float[]?[rows];
        var current = new List<float>();
        int row = -1, v = 0;
        bool isNull = false;
        for (int e = 0; e < repetition.Length; e++)
        {
            if (repetition[e] == 0)
            {
                if (row >= 0) result[row] = isNull ? null : current.ToArray();
                row++;
                current.Clear();
                isNull = definition[e] == 0;
            }
            if (definition[e] == maxDefinition) current.Add(values[v++]);
        }
        if (row >= 0) result[row] = isNull ? null : current.ToArray();
        if (row + 1 != rows) throw new InvalidDataException($"List column '{field.Name}' holds {row + 1} rows, the row group {rows}.");
        return result;
    }

    private static ColumnType MapType(string path, DataField field)
    {
        var t = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (t == typeof(bool)) return ColumnType.Boolean;
        if (t == typeof(sbyte) || t == typeof(byte) || t == typeof(short) || t == typeof(ushort) || t == typeof(int)
            || t == typeof(uint) || t == typeof(long) || t == typeof(ulong)) return ColumnType.Int64;
        if (t == typeof(float) || t == typeof(double) || t == typeof(decimal) || t == typeof(Half)) return ColumnType.Double;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) return ColumnType.String;
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset) || t == typeof(DateOnly)) return ColumnType.Timestamp;
        throw new InvalidDataException($"{path}: column '{field.Name}' has Parquet type {t.Name}, which is not supported (bool, integers, floats, decimals, strings and timestamps are).");
    }

    private static async Task<Array> ReadColumnAsync(ParquetRowGroupReader group, DataField field, ColumnSchema column, int rows, CancellationToken ct)
    {
        if (column.Type == ColumnType.FloatList) return await ReadListAsync(group, field, rows, ct).ConfigureAwait(false);
        var t = Nullable.GetUnderlyingType(field.ClrType) ?? field.ClrType;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>))
        {
            var values = new string?[rows];
            await group.ReadAsync(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return values;
        }
        if (t == typeof(bool)) return await ReadAsync<bool>(group, field, rows, ct).ConfigureAwait(false);
        if (t == typeof(long)) return await ReadAsync<long>(group, field, rows, ct).ConfigureAwait(false);
        if (t == typeof(double)) return await ReadAsync<double>(group, field, rows, ct).ConfigureAwait(false);
        if (t == typeof(DateTime)) return ToUtc(await ReadAsync<DateTime>(group, field, rows, ct).ConfigureAwait(false));
        if (t == typeof(int)) return Widen(await ReadAsync<int>(group, field, rows, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(short)) return Widen(await ReadAsync<short>(group, field, rows, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(sbyte)) return Widen(await ReadAsync<sbyte>(group, field, rows, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(byte)) return Widen(await ReadAsync<byte>(group, field, rows, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(ushort)) return Widen(await ReadAsync<ushort>(group, field, rows, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(uint)) return Widen(await ReadAsync<uint>(group, field, rows, ct).ConfigureAwait(false), v => (long)v);
        if (t == typeof(ulong)) return Widen(await ReadAsync<ulong>(group, field, rows, ct).ConfigureAwait(false), v => checked((long)v));
        if (t == typeof(float)) return Widen(await ReadAsync<float>(group, field, rows, ct).ConfigureAwait(false), v => (double)v);
        if (t == typeof(Half)) return Widen(await ReadAsync<Half>(group, field, rows, ct).ConfigureAwait(false), v => (double)v);
        if (t == typeof(decimal)) return Widen(await ReadAsync<decimal>(group, field, rows, ct).ConfigureAwait(false), v => (double)v);
        if (t == typeof(DateTimeOffset)) return Widen(await ReadAsync<DateTimeOffset>(group, field, rows, ct).ConfigureAwait(false), v => v.UtcDateTime);
        if (t == typeof(DateOnly)) return Widen(await ReadAsync<DateOnly>(group, field, rows, ct).ConfigureAwait(false), v => v.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        throw new InvalidDataException($"Column '{column.Name}' has unsupported type {t.Name}.");
    }

    private static async Task<T?[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int rows, CancellationToken ct) where T : struct
    {
        var values = new T?[rows];
        if (field.IsNullable)
        {
            await group.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
            return values;
        }
        // Required columns are read densely: reading them into nullable memory yields spurious nulls in Parquet.Net 6.1.
        var dense = new T[rows];
        await group.ReadAsync<T>(field, dense.AsMemory(), null, ct).ConfigureAwait(false);
        for (int i = 0; i < rows; i++) values[i] = dense[i];
        return values;
    }

    private static TOut?[] Widen<TIn, TOut>(TIn?[] values, Func<TIn, TOut> convert) where TIn : struct where TOut : struct
    {
        var result = new TOut?[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i] is { } v ? convert(v) : null;
        return result;
    }

    private static DateTime?[] ToUtc(DateTime?[] values)
    {
        for (int i = 0; i < values.Length; i++)
            if (values[i] is { } v && v.Kind != DateTimeKind.Utc)
                values[i] = v.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : v.ToUniversalTime();
        return values;
    }
}
