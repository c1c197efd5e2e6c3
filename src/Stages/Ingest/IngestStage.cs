using System.Text;
using System.Text.Json;
using Pipelines.Core;
using Pipelines.Core.Schemas;
using Pipelines.Core.Tables;
using FluentValidation;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// <c>ingest</c>: CSV, JSONL or Parquet → a Parquet table, streamed in row groups (memory is one row group,
/// whatever the file size). Column types come from a data-schema input or are inferred from the data.
/// </summary>
public sealed class IngestStage : Stage<IngestOptions>
{
    /// <inheritdoc />
    public override string Kind => "ingest";

    /// <inheritdoc />
    /// <remarks>2: the table keeps its row → source line map (<see cref="SourceLines"/>) in its metadata.</remarks>
    public override string Version => "2";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } =
        [new("source", ArtifactKind.File), new("schema", ArtifactKind.File, Required: false) { IsDataSchema = true }];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } = [new("table", ArtifactKind.Table)];

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<IngestOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<IngestOptions> Validator => _validator ??= new IngestOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, IngestOptions options, CancellationToken cancellationToken)
    {
        string source = context.InputPath("source");
        var declared = context.HasInput("schema") ? DataSchemaLoader.Load(context.InputPath("schema")).ToTableSchema() : null;
        var format = options.Format == IngestFormat.Auto ? FormatOf(source) : options.Format;
        var counters = new IngestCounters();
        try
        {
            switch (format)
            {
                case IngestFormat.Csv: await CsvIngestion.IngestAsync(context, options, source, declared, counters, cancellationToken); break;
                case IngestFormat.Jsonl: await IngestJsonlAsync(context, options, source, declared, counters, cancellationToken); break;
                default: await IngestParquetAsync(context, source, declared, counters, cancellationToken); break;
            }
        }
        catch (BadRowException ex)
        {
            throw new UserInputException(ex.Message);
        }
        catch (Exception ex) when (DecodingErrors.Find(ex) is not null)
        {
            throw new UserInputException(NotDecodable(source, options.Encoding));
        }
        if (counters.Rows == 0)
            throw new UserInputException($"{source}: the input has no data rows{(counters.BadRows > 0 ? $" ({counters.BadRows} bad rows were skipped)" : "")}.");
        context.Summary["rows_out"] = counters.Rows;
        context.Summary["bad_rows"] = counters.BadRows;
        context.Summary["columns"] = counters.Columns;
        if (format != IngestFormat.Parquet) context.Summary["encoding_errors"] = counters.EncodingErrors;
        if (counters.EncodingErrors > 0) context.Logger.LogEncodingErrors(Path.GetFileName(source), counters.EncodingErrors, options.Encoding);
        context.Logger.LogIngested(source, counters.Rows, counters.Columns, counters.BadRows);
    }

    private static string NotDecodable(string path, string encoding)
    {
        bool utf8 = Encoding.GetEncoding(encoding).CodePage == Encoding.UTF8.CodePage;
        if (!utf8) return $"{Path.GetFileName(path)}: holds bytes that are not valid {encoding} (encoding_errors: fail).";
        long line = DecodingErrors.FirstInvalidUtf8Line(path, out string bytes);
        return $"{Path.GetFileName(path)}:{line}: bytes {bytes} are not valid UTF-8 (encoding_errors: fail). Set 'encoding' to the file's encoding (e.g. latin1), or 'encoding_errors: replace' to read them as U+FFFD.";
    }

    private static IngestFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" or ".json" => IngestFormat.Jsonl,
        ".parquet" or ".pq" => IngestFormat.Parquet,
        _ => IngestFormat.Csv,
    };

    private static async Task IngestJsonlAsync(StageContext context, IngestOptions options, string path, TableSchema? declared, IngestCounters counters, CancellationToken ct)
    {
        string name = Path.GetFileName(path);
        var decoding = new DecodingErrors(options.Encoding, options.EncodingErrors);
        var encoding = decoding.Encoding;
        TableSchema schema;
        {
            var order = new List<string>();
            var types = new Dictionary<string, ColumnType?>(StringComparer.Ordinal);
            long line = 0, seen = 0;
            foreach (var text in File.ReadLines(path, encoding))
            {
                line++;
                if (string.IsNullOrWhiteSpace(text)) continue;
                if (options.InferRows > 0 && seen++ >= options.InferRows) break;
                using var doc = ParseLine(text, name, line, options, counters);
                if (doc is null) continue;
                foreach (var property in doc.RootElement.EnumerateObject())
                {
                    if (!types.ContainsKey(property.Name)) { order.Add(property.Name); types[property.Name] = null; }
                    types[property.Name] = WidenJson(types[property.Name], property.Value);
                }
            }
            counters.BadRows = 0; // counted again in pass 2
            // Declared columns keep their declared types (a JSON line may omit one); undeclared keys keep the inferred ones.
            schema = declared is null
                ? new TableSchema(order.Select(n => new ColumnSchema(n, types[n] ?? ColumnType.String)))
                : CsvIngestion.WithUndeclared(declared, [.. declared.Columns.Select(c => c.Name), .. order], name, n => types[n] ?? ColumnType.String);
        }
        // A table needs a column: an empty file, or objects without fields, has nothing to hold.
        if (schema.Columns.Count == 0) throw new UserInputException($"{name}: the input has no data rows (no JSON object with a field).");
        counters.Columns = schema.Columns.Count;
        await using var writer = await context.CreateTableAsync("table", schema, ct);
        var builder = new BatchBuilder(schema, IngestConstants.RowsPerGroup(options.RowGroupSize, schema.Columns.Count));
        long lineNumber = 0;
        var lines = new SourceLines(name);
        decoding.Reset(); // count the pass that writes, not the inference pass
        foreach (var text in File.ReadLines(path, encoding))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            using var doc = ParseLine(text, name, lineNumber, options, counters);
            if (doc is null) continue;
            try
            {
                for (int c = 0; c < schema.Columns.Count; c++)
                {
                    var column = schema.Columns[c];
                    if (!doc.RootElement.TryGetProperty(column.Name, out var value) || value.ValueKind == JsonValueKind.Null) continue;
                    if (!TrySetJson(builder.Column(c), builder.Count, column.Type, value))
                        throw new BadRowException($"{name}:{lineNumber}: field '{column.Name}': {CellValues.Clip(value.GetRawText())} is not {CellValues.Describe(column.Type)}.");
                }
                CellValues.EnsureNotNull(schema, builder, name, lineNumber);
                lines.Add(counters.Rows, lineNumber);
                builder.CommitRow();
            }
            catch (BadRowException) when (options.OnBadRows == BadRowPolicy.Skip)
            {
                builder.DiscardRow();
                counters.BadRows++;
                continue;
            }
            counters.Rows++;
            if (builder.IsFull) await writer.WriteBatchAsync(builder.Take(), ct);
        }
        if (builder.Count > 0 || counters.Rows == 0) await writer.WriteBatchAsync(builder.Take(), ct);
        if (counters.Rows > 0 && lines.IsComplete) writer.Metadata[SourceLines.MetadataKey] = lines.Encode();
        counters.EncodingErrors = decoding.Replaced;
    }

    private static JsonDocument? ParseLine(string text, string name, long line, IngestOptions options, IngestCounters counters)
    {
        try
        {
            var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            string kind = doc.RootElement.ValueKind.ToString().ToLowerInvariant();
            doc.Dispose();
            throw new BadRowException($"{name}:{line}: expected a JSON object, found {kind}.");
        }
        catch (JsonException ex)
        {
            if (options.OnBadRows == BadRowPolicy.Skip) { counters.BadRows++; return null; }
            throw new BadRowException($"{name}:{line}: invalid JSON ({ex.Message.Split('.')[0]}).");
        }
        catch (BadRowException) when (options.OnBadRows == BadRowPolicy.Skip)
        {
            counters.BadRows++;
            return null;
        }
    }

    private static async Task IngestParquetAsync(StageContext context, string path, TableSchema? declared, IngestCounters counters, CancellationToken ct)
    {
        using var source = ParquetSource.Open(path);
        var read = source.Schema;
        var schema = declared is null ? read
            : CsvIngestion.WithUndeclared(declared, read.Columns.Select(c => c.Name).ToArray(), Path.GetFileName(path), n => read.Get(n).Type);
        if (declared is not null)
            foreach (var column in declared.Columns)
            {
                var actual = read.Get(column.Name);
                if (actual.Type != column.Type)
                    throw new UserInputException($"{Path.GetFileName(path)}: column '{column.Name}' is {ColumnSchema.TypeName(actual.Type)} but the schema says {ColumnSchema.TypeName(column.Type)}.");
            }
        counters.Columns = schema.Columns.Count;
        await using var writer = await context.CreateTableAsync("table", schema, ct);
        bool any = false;
        await foreach (var batch in source.ReadBatchesAsync(ct))
        {
            var arrays = schema.Columns.Select(c => batch.Column(read.IndexOf(c.Name))).ToArray();
            await writer.WriteBatchAsync(new TableBatch(schema, batch.RowCount, arrays), ct);
            counters.Rows += batch.RowCount;
            any = true;
        }
        if (!any) await writer.WriteBatchAsync(TableBatch.Empty(schema), ct);
    }

    private static ColumnType? WidenJson(ColumnType? current, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => current,
        JsonValueKind.True or JsonValueKind.False => current is null or ColumnType.Boolean ? ColumnType.Boolean : ColumnType.String,
        JsonValueKind.Number when value.TryGetInt64(out _) => current is null or ColumnType.Int64 ? ColumnType.Int64 : current == ColumnType.Double ? ColumnType.Double : ColumnType.String,
        JsonValueKind.Number => current is null or ColumnType.Int64 or ColumnType.Double ? ColumnType.Double : ColumnType.String,
        _ => ColumnType.String,
    };

    private static bool TrySetJson(Array column, int row, ColumnType type, JsonElement value)
    {
        switch (type)
        {
            case ColumnType.String:
                ((string?[])column)[row] = value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();
                return true;
            case ColumnType.Int64 when value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long l): ((long?[])column)[row] = l; return true;
            case ColumnType.Double when value.ValueKind == JsonValueKind.Number: ((double?[])column)[row] = value.GetDouble(); return true;
            case ColumnType.Boolean when value.ValueKind is JsonValueKind.True or JsonValueKind.False: ((bool?[])column)[row] = value.GetBoolean(); return true;
            case ColumnType.Timestamp when value.ValueKind == JsonValueKind.String && ValueParser.TryTimestamp(value.GetString(), out var t): ((DateTime?[])column)[row] = t; return true;
            default: return false;
        }
    }
}
