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
    public override IReadOnlyList<StagePort> Inputs { get; } =
        [new("source", ArtifactKind.File), new("schema", ArtifactKind.File, Required: false)];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } = [new("table", ArtifactKind.Table)];

    /// <inheritdoc />
    protected override IValidator<IngestOptions> Validator { get; } = new IngestOptionsValidator();

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
                case IngestFormat.Csv: await IngestCsvAsync(context, options, source, declared, counters, cancellationToken); break;
                case IngestFormat.Jsonl: await IngestJsonlAsync(context, options, source, declared, counters, cancellationToken); break;
                default: await IngestParquetAsync(context, source, declared, counters, cancellationToken); break;
            }
        }
        catch (BadRowException ex)
        {
            throw new UserInputException(ex.Message);
        }
        if (counters.Rows == 0)
            throw new UserInputException($"{source}: the input has no data rows{(counters.BadRows > 0 ? $" ({counters.BadRows} bad rows were skipped)" : "")}.");
        context.Summary["rows_out"] = counters.Rows;
        context.Summary["bad_rows"] = counters.BadRows;
        context.Summary["columns"] = counters.Columns;
        context.Logger.LogIngested(source, counters.Rows, counters.Columns, counters.BadRows);
    }

    private static IngestFormat FormatOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".jsonl" or ".ndjson" or ".json" => IngestFormat.Jsonl,
        ".parquet" or ".pq" => IngestFormat.Parquet,
        _ => IngestFormat.Csv,
    };

    private static async Task IngestCsvAsync(StageContext context, IngestOptions options, string path, TableSchema? declared, IngestCounters counters, CancellationToken ct)
    {
        var csv = new CsvSettings(options, path);
        string[] names;
        using (var reader = csv.Open()) names = ReadNames(reader, options, csv.Name);

        if (declared is not null)
        {
            await WriteCsvAsync(context, options, csv, names, Reorder(declared, names, csv.Name), typesInferred: false, counters, ct);
            return;
        }
        // Types come from a sample first; a later cell that does not fit triggers one full inference pass and a rewrite,
        // so a single pass suffices for most files and no file is ever typed wrongly.
        int sample = options.InferRows > 0 ? options.InferRows : IngestConstants.DefaultInferenceSample;
        var schema = InferCsvSchema(csv, names, options, sample, ct);
        if (await WriteCsvAsync(context, options, csv, names, schema, typesInferred: true, counters, ct)) return;
        context.Logger.LogTypesWidened(csv.Name, sample);
        counters.Rows = 0;
        counters.BadRows = 0;
        schema = InferCsvSchema(csv, names, options, 0, ct);
        await WriteCsvAsync(context, options, csv, names, schema, typesInferred: true, counters, ct);
    }

    private static TableSchema InferCsvSchema(CsvSettings csv, string[] names, IngestOptions options, int maxRows, CancellationToken ct)
    {
        var inferred = new ColumnType?[names.Length];
        using var reader = csv.Open();
        if (options.Header) Read(reader, csv.Name);
        long seen = 0;
        while ((maxRows == 0 || seen < maxRows) && Read(reader, csv.Name))
        {
            seen++;
            if (reader.FieldCount != names.Length) continue; // reported while writing
            for (int c = 0; c < names.Length; c++)
            {
                if (inferred[c] == ColumnType.String) continue;
                var cell = reader.Field(c);
                if (!reader.IsQuoted(c) && csv.IsNa(cell)) continue;
                inferred[c] = reader.IsQuoted(c) && inferred[c] is null && cell.Length == 0 ? ColumnType.String : ValueParser.Widen(inferred[c], cell);
            }
            if ((seen & 0xFFFF) == 0) ct.ThrowIfCancellationRequested();
        }
        return new TableSchema(names.Select((n, i) => new ColumnSchema(n, inferred[i] ?? ColumnType.String)));
    }

    /// <summary>
    /// Parses rows into row groups on this thread while another writes them, at most two groups in flight.
    /// Returns false (having written nothing useful) when an inferred type turns out too narrow.
    /// </summary>
    private static async Task<bool> WriteCsvAsync(StageContext context, IngestOptions options, CsvSettings csv, string[] names, TableSchema schema,
        bool typesInferred, IngestCounters counters, CancellationToken ct)
    {
        var columnIndex = schema.Columns.Select(c => Array.IndexOf(names, c.Name)).ToArray();
        counters.Columns = schema.Columns.Count;
        var batches = System.Threading.Channels.Channel.CreateBounded<TableBatch>(new System.Threading.Channels.BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true });
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var writing = Task.Run(async () =>
        {
            await using var writer = await context.CreateTableAsync("table", schema, linked.Token);
            bool any = false;
            await foreach (var batch in batches.Reader.ReadAllAsync(linked.Token))
            {
                await writer.WriteBatchAsync(batch, linked.Token);
                any = true;
            }
            if (!any) await writer.WriteBatchAsync(TableBatch.Empty(schema), linked.Token);
        }, linked.Token);

        bool fits = true;
        var pools = schema.Columns.Select(c => c.Type == ColumnType.String ? new StringPool() : null).ToArray();
        try
        {
            var builder = new BatchBuilder(schema, options.RowGroupSize);
            using var reader = csv.Open();
            if (options.Header) Read(reader, csv.Name);
            while (Read(reader, csv.Name))
            {
                try
                {
                    if (reader.FieldCount != names.Length)
                        throw new BadRowException($"{csv.Name}:{reader.LineNumber}: expected {names.Length} fields but found {reader.FieldCount}.");
                    for (int c = 0; c < schema.Columns.Count; c++)
                    {
                        int field = columnIndex[c];
                        var cell = reader.Field(field);
                        if (!reader.IsQuoted(field) && csv.IsNa(cell)) continue;
                        if (pools[c] is { } pool) { ((string?[])builder.Column(c))[builder.Count] = pool.Get(cell); continue; }
                        if (TrySet(builder.Column(c), builder.Count, schema.Columns[c].Type, cell)) continue;
                        if (typesInferred) { fits = false; return false; }
                        throw new BadRowException($"{csv.Name}:{reader.LineNumber}: column '{schema.Columns[c].Name}': '{Clip(cell)}' is not {Describe(schema.Columns[c].Type)}.");
                    }
                    EnsureNotNull(schema, builder, csv.Name, reader.LineNumber);
                    builder.CommitRow();
                }
                catch (BadRowException) when (options.OnBadRows == BadRowPolicy.Skip)
                {
                    builder.DiscardRow();
                    counters.BadRows++;
                    continue;
                }
                counters.Rows++;
                if (builder.IsFull)
                {
                    await batches.Writer.WriteAsync(builder.Take(), ct);
                    context.Progress.Report(new StageProgress(counters.Rows, 0, $"{counters.Rows:N0} rows"));
                }
            }
            if (builder.Count > 0) await batches.Writer.WriteAsync(builder.Take(), ct);
            return true;
        }
        finally
        {
            batches.Writer.TryComplete();
            if (!fits) await linked.CancelAsync();
            try
            {
                await writing;
            }
            catch (OperationCanceledException) when (!fits)
            {
                // The partial file is abandoned; the caller rewrites it with wider types.
            }
        }
    }

    /// <summary>
    /// Reuses one string instance per distinct value while a column has few distinct values (categorical text such
    /// as "Private" or "Male"), so millions of cells do not each allocate; free-text columns stop pooling at the cap.
    /// </summary>
    private sealed class StringPool
    {
        private const int Capacity = 4096;
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public StringPool() => _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();

        public string Get(ReadOnlySpan<char> cell)
        {
            if (_lookup.TryGetValue(cell, out var known)) return known;
            string value = cell.ToString();
            if (_values.Count < Capacity) _values[value] = value;
            return value;
        }
    }

    /// <summary>How to open and read the CSV; one place for delimiter, encoding and null markers.</summary>
    private sealed class CsvSettings
    {
        private readonly string _path;
        private readonly char _delimiter;
        private readonly bool _trim;
        private readonly Encoding _encoding;
        private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _na;
        private readonly int _longestNa;

        public CsvSettings(IngestOptions options, string path)
        {
            _path = path;
            _delimiter = options.Delimiter == "\\t" ? '\t' : options.Delimiter[0];
            _trim = options.Trim;
            _encoding = Encoding.GetEncoding(options.Encoding);
            _na = options.NaValues.ToHashSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
            _longestNa = options.NaValues.Count == 0 ? -1 : options.NaValues.Max(v => v.Length);
            Name = Path.GetFileName(path);
        }

        public string Name { get; }

        public CsvRecordReader Open() => CsvRecordReader.Open(_path, _delimiter, _trim, _encoding);

        public bool IsNa(ReadOnlySpan<char> cell) => cell.Length <= _longestNa && _na.Contains(cell);
    }

    private static bool Read(CsvRecordReader reader, string name)
    {
        try { return reader.Read(); }
        catch (FormatException ex) { throw new BadRowException($"{name}:{ex.Message}"); }
    }

    private static string[] ReadNames(CsvRecordReader reader, IngestOptions options, string name)
    {
        string[]? header = null;
        if (options.Header)
        {
            if (!Read(reader, name)) throw new BadRowException($"{name}: the file is empty (expected a header line).");
            header = Enumerable.Range(0, reader.FieldCount).Select(i => reader.Field(i).Trim().ToString()).ToArray();
        }
        var names = options.Columns?.ToArray() ?? header!;
        if (header is not null && options.Columns is not null && options.Columns.Count != header.Length)
            throw new BadRowException($"{name}:1: 'columns' lists {options.Columns.Count} names but the header has {header.Length} fields.");
        var duplicate = names.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new BadRowException($"{name}:1: column name '{duplicate.Key}' appears more than once.");
        if (names.Any(string.IsNullOrWhiteSpace)) throw new BadRowException($"{name}:1: a column has an empty name.");
        return names;
    }

    private static async Task IngestJsonlAsync(StageContext context, IngestOptions options, string path, TableSchema? declared, IngestCounters counters, CancellationToken ct)
    {
        string name = Path.GetFileName(path);
        var encoding = Encoding.GetEncoding(options.Encoding);
        TableSchema schema;
        if (declared is not null) schema = declared;
        else
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
            schema = new TableSchema(order.Select(n => new ColumnSchema(n, types[n] ?? ColumnType.String)));
        }
        counters.Columns = schema.Columns.Count;
        await using var writer = await context.CreateTableAsync("table", schema, ct);
        var builder = new BatchBuilder(schema, options.RowGroupSize);
        long lineNumber = 0;
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
                        throw new BadRowException($"{name}:{lineNumber}: field '{column.Name}': {Clip(value.GetRawText())} is not {Describe(column.Type)}.");
                }
                EnsureNotNull(schema, builder, name, lineNumber);
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
    }

    private static JsonDocument? ParseLine(string text, string name, long line, IngestOptions options, IngestCounters counters)
    {
        try
        {
            var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind == JsonValueKind.Object) return doc;
            doc.Dispose();
            throw new BadRowException($"{name}:{line}: expected a JSON object, found {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}.");
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
        await using var reader = await ParquetTableReader.OpenAsync(path, ct);
        var schema = declared is null ? reader.Schema : Reorder(declared, reader.Schema.Columns.Select(c => c.Name).ToArray(), Path.GetFileName(path));
        if (declared is not null)
            foreach (var column in declared.Columns)
            {
                var actual = reader.Schema.Get(column.Name);
                if (actual.Type != column.Type)
                    throw new UserInputException($"{Path.GetFileName(path)}: column '{column.Name}' is {ColumnSchema.TypeName(actual.Type)} but the schema says {ColumnSchema.TypeName(column.Type)}.");
            }
        counters.Columns = schema.Columns.Count;
        await using var writer = await context.CreateTableAsync("table", schema, ct);
        await foreach (var batch in reader.ReadBatchesAsync(ct))
        {
            var arrays = schema.Columns.Select(c => batch.Column(batch.Schema.IndexOf(c.Name))).ToArray();
            await writer.WriteBatchAsync(new TableBatch(schema, batch.RowCount, arrays), ct);
            counters.Rows += batch.RowCount;
        }
    }

    private static TableSchema Reorder(TableSchema declared, string[] names, string file)
    {
        var missing = declared.Columns.Where(c => !names.Contains(c.Name)).Select(c => c.Name).ToArray();
        if (missing.Length > 0) throw new UserInputException($"{file}: column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} of the schema are not in the file (it has {string.Join(", ", names)}).");
        return declared;
    }

    private static void EnsureNotNull(TableSchema schema, BatchBuilder builder, string file, long line)
    {
        for (int c = 0; c < schema.Columns.Count; c++)
            if (!schema.Columns[c].Nullable && builder.Column(c).GetValue(builder.Count) is null)
                throw new BadRowException($"{file}:{line}: column '{schema.Columns[c].Name}' is empty but the schema forbids nulls.");
    }

    private static bool TrySet(Array column, int row, ColumnType type, ReadOnlySpan<char> cell)
    {
        switch (type)
        {
            case ColumnType.String: ((string?[])column)[row] = cell.ToString(); return true;
            case ColumnType.Int64 when ValueParser.TryLong(cell, out long l): ((long?[])column)[row] = l; return true;
            case ColumnType.Double when ValueParser.TryDouble(cell, out double d): ((double?[])column)[row] = d; return true;
            case ColumnType.Boolean when ValueParser.TryBool(cell, out bool b): ((bool?[])column)[row] = b; return true;
            case ColumnType.Timestamp when ValueParser.TryTimestamp(cell, out DateTime t): ((DateTime?[])column)[row] = t; return true;
            default: return false;
        }
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

    private static string Describe(ColumnType type) => type switch
    {
        ColumnType.Int64 => "an integer",
        ColumnType.Double => "a number",
        ColumnType.Boolean => "true or false",
        ColumnType.Timestamp => "a timestamp (yyyy-MM-dd[THH:mm:ss])",
        _ => "text",
    };

    private static string Clip(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : text[..40].ToString() + "…";

    private sealed class IngestCounters
    {
        public long Rows;
        public long BadRows;
        public int Columns;
    }
}
