using Apache.Arrow;
using Array = System.Array;
using ParquetSharp;
using ParquetSharp.Arrow;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// A Parquet file from any writer, read with ParquetSharp (Apache Arrow's C++ reader: both data page versions, INT96,
/// nested and binary columns) batch by batch, as <see cref="TableBatch"/>es of the types <see cref="ArrowValues"/> maps to.
/// </summary>
internal sealed class ParquetSource : IDisposable
{
    private readonly FileReader _reader;
    private readonly string _file;
    private readonly ColumnType[] _types;

    private ParquetSource(FileReader reader, string file, TableSchema schema, ColumnType[] types)
    {
        _reader = reader;
        _file = file;
        Schema = schema;
        _types = types;
    }

    /// <summary>The columns as ingest writes them.</summary>
    public TableSchema Schema { get; }

    /// <summary>Opens <paramref name="path"/>; a file that is not Parquet, or is damaged, is an input error naming it.</summary>
    public static ParquetSource Open(string path)
    {
        string file = Path.GetFileName(path);
        FileReader? reader = null;
        ArrowReaderProperties? arrowProperties = null;
        try
        {
            // Text columns are read as dictionaries, so a repeated value is decoded once per batch, and the columns of
            // a batch are decoded on every core: neither changes a value, so the output does not depend on them.
            using (var probe = new FileReader(path)) arrowProperties = TextAsDictionaries(probe.Schema);
            reader = new FileReader(path, null, arrowProperties);
            var fields = reader.Schema.FieldsList;
            var types = fields.Select(f => ArrowValues.TypeOf(f.DataType, file, f.Name)).ToArray();
            var schema = new TableSchema(fields.Select((f, i) => new ColumnSchema(f.Name, types[i], f.IsNullable)));
            return new ParquetSource(reader, file, schema, types);
        }
        catch (Exception ex) when (ex is ParquetException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            reader?.Dispose();
            throw new InvalidDataException($"{file}: not a readable Parquet file ({FirstLine(ex.Message)}).", ex);
        }
        catch
        {
            reader?.Dispose();
            throw;
        }
        finally
        {
            arrowProperties?.Dispose();
        }
    }

    private static ArrowReaderProperties TextAsDictionaries(Apache.Arrow.Schema schema)
    {
        var properties = ArrowReaderProperties.GetDefault();
        properties.UseThreads = true;
        properties.CoerceInt96TimestampUnit = Apache.Arrow.Types.TimeUnit.Microsecond; // nanoseconds would overflow before 1677 and after 2262
        for (int i = 0; i < schema.FieldsList.Count; i++)
            if (schema.FieldsList[i].DataType is Apache.Arrow.Types.StringType) properties.SetReadDictionary(i, true);
        return properties;
    }

    /// <summary>The file's rows, batch by batch (the reader's batch size bounds memory).</summary>
    public async IAsyncEnumerable<TableBatch> ReadBatchesAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var batches = Guard(() => _reader.GetRecordBatchReader());
        for (long batchIndex = 1; ; batchIndex++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            RecordBatch? batch;
            try
            {
                batch = await batches.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ParquetException or ArgumentException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException or OverflowException)
            {
                throw new InvalidDataException($"{_file}: batch {batchIndex} is not readable Parquet ({FirstLine(ex.Message)}).", ex);
            }
            if (batch is null) yield break;
            using (batch)
            {
                var arrays = new Array[_types.Length];
                for (int c = 0; c < arrays.Length; c++)
                    arrays[c] = ArrowValues.Column(batch.Column(c), _types[c], _file, Schema.Columns[c].Name);
                yield return new TableBatch(Schema, batch.Length, arrays);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private T Guard<T>(Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception ex) when (ex is ParquetException or ArgumentException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidDataException($"{_file}: not a readable Parquet file ({FirstLine(ex.Message)}).", ex);
        }
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
