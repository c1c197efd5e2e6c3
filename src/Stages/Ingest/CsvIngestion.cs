using System.Buffers;
using System.Threading.Channels;
using System.Threading.Tasks.Dataflow;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// CSV → Parquet for <c>ingest</c>. The file is cut into chunks of whole records (one row group each) that are
/// parsed on every core and written in file order, so the output is the same whatever the thread count. Memory
/// holds a few row groups at a time. Encodings or delimiters that cannot be cut at byte level are read by one
/// thread instead. The per-cell methods are marked <c>AggressiveOptimization</c>: a run is over before tiered
/// compilation would promote them, and their tier-0 code is several times slower.
/// </summary>
internal static class CsvIngestion
{
    /// <summary>Parsing threads; tests set it to prove the output does not depend on it (null: one per core).</summary>
    internal static int? WorkersOverride { get; set; }

    public static async Task IngestAsync(StageContext context, IngestOptions options, string path, TableSchema? declared, IngestCounters counters, CancellationToken ct)
    {
        var csv = new CsvSettings(options, path);
        string[] names;
        using (var reader = csv.Open()) names = ReadNames(reader, options, csv);

        if (declared is not null)
        {
            // Undeclared columns are kept as text: validate's extra_columns rule is what judges them.
            await WriteAsync(context, options, csv, names, WithUndeclared(declared, names, csv.Name, _ => ColumnType.String), typesInferred: false, counters, ct);
            return;
        }
        // Types come from a sample first; a later cell that does not fit triggers one full inference pass and a rewrite,
        // so a single pass suffices for most files and no file is ever typed wrongly.
        int sample = options.InferRows > 0 ? options.InferRows : IngestConstants.DefaultInferenceSample;
        var schema = InferSchema(csv, names, options, sample, ct);
        if (await WriteAsync(context, options, csv, names, schema, typesInferred: true, counters, ct)) return;
        context.Logger.LogTypesWidened(csv.Name, sample);
        counters.Rows = 0;
        counters.BadRows = 0;
        schema = InferSchema(csv, names, options, 0, ct);
        await WriteAsync(context, options, csv, names, schema, typesInferred: true, counters, ct);
    }

    /// <summary>
    /// The declared columns, every one of which must be in the file, followed by the file's undeclared columns in
    /// file order: ingest never drops data, so a schema's <c>extra_columns: false</c> can see them.
    /// </summary>
    public static TableSchema WithUndeclared(TableSchema declared, IReadOnlyList<string> names, string file, Func<string, ColumnType> undeclaredType)
    {
        var missing = declared.Columns.Where(c => !names.Contains(c.Name)).Select(c => c.Name).ToArray();
        if (missing.Length > 0) throw new UserInputException($"{file}: column(s) {string.Join(", ", missing.Select(m => $"'{m}'"))} of the schema are not in the file (it has {string.Join(", ", names)}).");
        var undeclared = names.Where(n => declared.IndexOf(n) < 0).Select(n => new ColumnSchema(n, undeclaredType(n)));
        return new TableSchema(declared.Columns.Concat(undeclared));
    }

    private static TableSchema InferSchema(CsvSettings csv, string[] names, IngestOptions options, int maxRows, CancellationToken ct)
    {
        var inferred = new ColumnType?[names.Length];
        using var reader = csv.Open();
        if (options.Header) csv.Read(reader);
        long seen = 0;
        while ((maxRows == 0 || seen < maxRows) && csv.Read(reader))
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
    /// Parses row groups while a second task writes them, in order. Returns false (having written nothing useful)
    /// when an inferred type turns out too narrow.
    /// </summary>
    private static async Task<bool> WriteAsync(StageContext context, IngestOptions options, CsvSettings csv, string[] names, TableSchema schema,
        bool typesInferred, IngestCounters counters, CancellationToken ct)
    {
        counters.Columns = schema.Columns.Count;
        csv.Decoding.Reset(); // count the pass that writes, not the type-inference reads
        int rowsPerGroup = IngestConstants.RowsPerGroup(options.RowGroupSize, names.Length);
        var parser = new CsvBatchParser(csv, names, schema, typesInferred, options.OnBadRows, rowsPerGroup);
        var groups = Channel.CreateBounded<ParsedRowGroup>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var parsing = Task.Run(async () =>
        {
            try
            {
                if (CsvChunker.Supports(csv.Delimiter, csv.Encoding, csv.Path)) await ParseChunksAsync(csv, options, parser, rowsPerGroup, groups.Writer, stop.Token);
                else await ParseSequentiallyAsync(csv, options, parser, groups.Writer, stop.Token);
                groups.Writer.TryComplete();
            }
            catch (Exception ex)
            {
                groups.Writer.TryComplete(ex);
            }
        }, stop.Token);

        try
        {
            await using var writer = await context.CreateTableAsync("table", schema, stop.Token);
            var lines = new SourceLines(csv.Name);
            bool any = false;
            await foreach (var group in groups.Reader.ReadAllAsync(stop.Token))
            {
                if (group.TypesTooNarrow) return false;
                counters.BadRows += group.BadRows;
                if (group.Batch is { } batch)
                {
                    foreach (var (row, line) in group.Lines) lines.Add(counters.Rows + row, line);
                    await writer.WriteBatchAsync(batch, stop.Token);
                    counters.Rows += batch.RowCount;
                    parser.Arrays.Return(batch);
                    any = true;
                    context.Progress.Report(new StageProgress(counters.Rows, 0, $"{counters.Rows:N0} rows"));
                }
                if (group.Error is { } error) throw error;
            }
            if (!any) await writer.WriteBatchAsync(TableBatch.Empty(schema), stop.Token);
            if (any && lines.IsComplete) writer.Metadata[SourceLines.MetadataKey] = lines.Encode();
            counters.EncodingErrors = csv.Decoding.Replaced;
            return true;
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await parsing;
            }
            catch (OperationCanceledException)
            {
                // Parsing stops when writing ends early (an error, or a type that must be widened).
            }
        }
    }

    /// <summary>One thread reads the whole file (encodings whose bytes cannot be cut safely).</summary>
    private static async Task ParseSequentiallyAsync(CsvSettings csv, IngestOptions options, CsvBatchParser parser, ChannelWriter<ParsedRowGroup> groups, CancellationToken ct)
    {
        using var reader = csv.Open();
        if (options.Header) csv.Read(reader);
        while (true)
        {
            var group = parser.Parse(reader, ct);
            if (group.IsEmpty) return;
            await groups.WriteAsync(group, ct);
            if (group.EndsIngest) return;
        }
    }

    /// <summary>Cuts the file into chunks of one row group's records and parses them on every core, in order.</summary>
    private static async Task ParseChunksAsync(CsvSettings csv, IngestOptions options, CsvBatchParser parser, int rowsPerGroup, ChannelWriter<ParsedRowGroup> groups, CancellationToken ct)
    {
        int workers = WorkersOverride ?? Math.Max(1, Environment.ProcessorCount);
        var parse = new TransformBlock<CsvChunk, ParsedRowGroup>(chunk =>
        {
            try
            {
                using var reader = csv.Open(chunk);
                return parser.Parse(reader, ct);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(chunk.Bytes);
            }
        }, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = workers, BoundedCapacity = workers, EnsureOrdered = true, CancellationToken = ct });

        var forwarding = ForwardAsync(parse, groups, ct);
        try
        {
            using var chunker = new CsvChunker(File.OpenRead(csv.Path), csv.Delimiter, csv.Trim, rowsPerGroup);
            if (options.Header) chunker.SkipRecords(1);
            for (int index = 0; chunker.Next(index) is { } chunk; index++)
            {
                if (!await parse.SendAsync(chunk, ct))
                {
                    ArrayPool<byte>.Shared.Return(chunk.Bytes);
                    break; // the forwarder stopped early
                }
            }
        }
        finally
        {
            parse.Complete();
            await forwarding;
        }
    }

    /// <summary>Passes parsed groups on in file order, stopping after the first that ends the ingest.</summary>
    private static async Task ForwardAsync(TransformBlock<CsvChunk, ParsedRowGroup> parse, ChannelWriter<ParsedRowGroup> groups, CancellationToken ct)
    {
        try
        {
            while (await parse.OutputAvailableAsync(ct))
            {
                var group = await parse.ReceiveAsync(ct);
                await groups.WriteAsync(group, ct);
                if (group.EndsIngest) return;
            }
            await parse.Completion; // surfaces a parsing failure that ended the output early
        }
        finally
        {
            // Unblocks the chunker if it waits to send, and drops what is still queued.
            if (!parse.Completion.IsCompleted) ((IDataflowBlock)parse).Fault(new OperationCanceledException());
        }
    }

    private static string[] ReadNames(CsvRecordReader reader, IngestOptions options, CsvSettings csv)
    {
        string name = csv.Name;
        string[]? header = null;
        if (options.Header)
        {
            if (!csv.Read(reader)) throw new BadRowException($"{name}: the file is empty (expected a header line).");
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
}
