using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// The <c>dedup</c> stage: removes exact and near-duplicate rows (and rows that copy an optional
/// <c>across</c> table), writing the kept rows, a <c>duplicates</c> table and a report.
/// </summary>
public sealed class DedupStage : Stage<DedupOptions>
{
    private static readonly TableSchema DuplicatesSchema = new([
        new ColumnSchema("cluster_id", ColumnType.Int64),
        new ColumnSchema("kept_row", ColumnType.Int64, Nullable: false),
        new ColumnSchema("removed_row", ColumnType.Int64, Nullable: false),
        new ColumnSchema("estimated_jaccard", ColumnType.Double, Nullable: false),
        new ColumnSchema("exact_jaccard", ColumnType.Double),
        new ColumnSchema("kind", ColumnType.String, Nullable: false),
        new ColumnSchema("matched", ColumnType.String, Nullable: false),
        new ColumnSchema("linked_via_cluster", ColumnType.Boolean, Nullable: false),
    ]);

    /// <inheritdoc />
    public override string Kind => "dedup";

    /// <inheritdoc />
    /// <remarks>2: the report lists removed rows beside the rows they duplicate and counts across matches as clusters.</remarks>
    public override string Version => "2";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } =
        [new StagePort("table", ArtifactKind.Table), new StagePort("across", ArtifactKind.Table, Required: false)];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } =
        [new StagePort("table", ArtifactKind.Table), new StagePort("duplicates", ArtifactKind.Table), new StagePort("report", ArtifactKind.Report)];

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<DedupOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<DedupOptions>? Validator => _validator ??= new DedupOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, DedupOptions options, CancellationToken cancellationToken)
    {
        if (options.Mode == DedupMode.Semantic)
        {
            await SemanticDedupRun.RunAsync(context, options, cancellationToken).ConfigureAwait(false);
            return;
        }

        var session = new DedupSession(new DeduplicatorSettings
        {
            Mode = options.Mode,
            Normalization = options.Normalization,
            Keep = options.Keep,
            Near = new NearDuplicateOptions
            {
                Threshold = options.Threshold,
                NumPerm = options.NumPerm,
                NgramSize = options.NgramSize,
                Bands = options.Bands,
                Rows = options.Rows,
                FalsePositiveWeight = options.FalsePositiveWeight,
                FalseNegativeWeight = options.FalseNegativeWeight,
                Verify = options.Verify,
                Seed = options.Seed ?? context.Seed,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            },
        });

        long rowsIn;
        await using (var reader = await context.OpenTableAsync("table", cancellationToken).ConfigureAwait(false))
        {
            rowsIn = reader.RowCount;
            int[] columns = ResolveColumns(reader.Schema, options, "table");
            int newest = options.Keep == KeepRule.Newest ? ResolveNewest(reader.Schema, options.NewestBy!) : -1;
            if (reader.RowCount == 0)
            {
                throw new InvalidDataException("Input 'table' has no rows; dedup needs at least one row.");
            }

            await foreach (var batch in reader.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                session.AddRows(columns.Select(c => AsText(batch, c)).ToArray(), batch.RowCount, newest >= 0 ? NewestKeys(batch, newest) : null);
                context.Progress.Report(new StageProgress(session.RowCount, reader.RowCount, "hashing rows"));
            }
        }

        if (context.HasInput("across"))
        {
            await using var across = await context.OpenTableAsync("across", cancellationToken).ConfigureAwait(false);
            int[] columns = ResolveColumns(across.Schema, options, "across");
            await foreach (var batch in across.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                session.AddAcrossRows(columns.Select(c => AsText(batch, c)).ToArray(), batch.RowCount);
            }
        }

        DedupOutcome outcome = session.Complete();
        var exampleRows = new HashSet<int>(DedupReport.ExampleRows(DedupReport.LargestClusters(outcome)).Concat(ReportedPairs.TableRows(outcome)));
        var exampleTexts = new Dictionary<int, string>();

        // Second pass: stream the kept rows out, one row group per input row group.
        await using (var reader = await context.OpenTableAsync("table", cancellationToken).ConfigureAwait(false))
        await using (var writer = await context.CreateTableAsync("table", reader.Schema, cancellationToken).ConfigureAwait(false))
        {
            int[] columns = ResolveColumns(reader.Schema, options, "table");
            int offset = 0;
            await foreach (var batch in reader.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                var kept = new List<int>(batch.RowCount);
                for (int i = 0; i < batch.RowCount; i++)
                {
                    if (!outcome.Removed[offset + i])
                    {
                        kept.Add(i);
                    }
                }

                CollectTexts(batch, columns, offset, exampleRows, exampleTexts);

                await writer.WriteBatchAsync(kept.Count == batch.RowCount ? batch : batch.Select(kept.ToArray()), cancellationToken).ConfigureAwait(false);
                offset += batch.RowCount;
            }
        }

        // The across rows the report shows beside the rows that copy them: a second pass reads just their text.
        var acrossRows = new HashSet<int>(ReportedPairs.AcrossRows(outcome));
        var acrossTexts = new Dictionary<int, string>();
        if (acrossRows.Count > 0)
        {
            await using var across = await context.OpenTableAsync("across", cancellationToken).ConfigureAwait(false);
            int[] columns = ResolveColumns(across.Schema, options, "across");
            int offset = 0;
            await foreach (var batch in across.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                CollectTexts(batch, columns, offset, acrossRows, acrossTexts);
                offset += batch.RowCount;
            }
        }

        await WriteDuplicatesAsync(context, outcome, cancellationToken).ConfigureAwait(false);
        var report = DedupReport.Build(outcome, options, exampleTexts, acrossTexts);
        await DedupReport.WriteAsync(context.OutputPath("report"), report, cancellationToken).ConfigureAwait(false);

        context.Summary["rows_in"] = rowsIn;
        context.Summary["rows_out"] = (long)outcome.RowsOut;
        context.DeclareMetric("duplicates_removed", outcome.Records.Count, MetricDirection.None);
        context.Summary["exact_removed"] = (long)outcome.Count(DuplicateKind.Exact);
        context.Summary["near_removed"] = (long)outcome.Count(DuplicateKind.Near);
        context.Summary["across_removed"] = (long)outcome.AcrossCount;
        context.Logger.LogInformation(
            "Dedup kept {Kept} of {Rows} rows: {Exact} exact, {Near} near and {Across} across duplicates removed.",
            outcome.RowsOut, rowsIn, outcome.Count(DuplicateKind.Exact), outcome.Count(DuplicateKind.Near), outcome.AcrossCount);
    }

    internal static int[] ResolveColumns(TableSchema schema, DedupOptions options, string input)
    {
        var indices = new int[options.Columns.Count];
        for (int i = 0; i < indices.Length; i++)
        {
            string name = options.Columns[i];
            int index = schema.IndexOf(name);
            if (index < 0)
            {
                throw new InvalidDataException(
                    $"Column '{name}' (in 'columns') does not exist in input '{input}'. The table has: {string.Join(", ", schema.Columns.Select(c => c.Name))}.");
            }

            var type = schema.Columns[index].Type;
            if (options.Mode == DedupMode.Near && type != ColumnType.String)
            {
                throw new InvalidDataException(
                    $"Column '{name}' of input '{input}' is {ColumnSchema.TypeName(type)}, but near-duplicate detection compares text: use String columns or 'mode: exact'.");
            }

            indices[i] = index;
        }

        return indices;
    }

    internal static int ResolveNewest(TableSchema schema, string name)
    {
        int index = schema.IndexOf(name);
        if (index < 0)
        {
            throw new InvalidDataException(
                $"Column '{name}' (in 'newest_by') does not exist in input 'table'. The table has: {string.Join(", ", schema.Columns.Select(c => c.Name))}.");
        }

        var type = schema.Columns[index].Type;
        if (type is not (ColumnType.Int64 or ColumnType.Double or ColumnType.Timestamp))
        {
            throw new InvalidDataException($"Column '{name}' (in 'newest_by') is {ColumnSchema.TypeName(type)}; it must be Int64, Double or Timestamp.");
        }

        return index;
    }

    // The compared values of the wanted rows of a batch (rows numbered from offset), joined for display.
    internal static void CollectTexts(TableBatch batch, int[] columns, int offset, HashSet<int> wanted, Dictionary<int, string> texts)
    {
        IReadOnlyList<string?>[]? values = null;
        for (int i = 0; i < batch.RowCount; i++)
        {
            if (wanted.Contains(offset + i))
            {
                values ??= columns.Select(c => AsText(batch, c)).ToArray();
                texts[offset + i] = string.Join(" | ", values.Select(v => v[i]));
            }
        }
    }

    // Values of a column as text: strings as they are, other types in invariant culture (exact mode).
    internal static IReadOnlyList<string?> AsText(TableBatch batch, int column) => batch.Column(column) switch
    {
        string?[] s => s,
        long?[] l => l.Select(v => v?.ToString(CultureInfo.InvariantCulture)).ToArray(),
        double?[] d => d.Select(v => v?.ToString("R", CultureInfo.InvariantCulture)).ToArray(),
        bool?[] b => b.Select(v => v?.ToString(CultureInfo.InvariantCulture)).ToArray(),
        DateTime?[] t => t.Select(v => v?.ToString("O", CultureInfo.InvariantCulture)).ToArray(),
        float[]?[] f => f.Select(v => v is null ? null : $"[{string.Join(", ", v.Take(3).Select(x => x.ToString("G4", CultureInfo.InvariantCulture)))}{(v.Length > 3 ? ", …" : "")}] ({v.Length} floats)").ToArray(),
        _ => throw new InvalidOperationException("Unexpected column array type."),
    };

    // Larger is newer; nulls are oldest. Doubles map to longs that sort the same way.
    internal static long[] NewestKeys(TableBatch batch, int column) => batch.Column(column) switch
    {
        long?[] l => l.Select(v => v ?? long.MinValue).ToArray(),
        DateTime?[] t => t.Select(v => v?.Ticks ?? long.MinValue).ToArray(),
        double?[] d => d.Select(v => v is { } x && !double.IsNaN(x) ? SortableBits(x) : long.MinValue).ToArray(),
        _ => throw new InvalidOperationException("Unexpected newest-by column type."),
    };

    private static long SortableBits(double value)
    {
        // Negative doubles order backwards by their bits; flipping the 63 low bits fixes that.
        long bits = BitConverter.DoubleToInt64Bits(value == 0 ? 0.0 : value);
        return bits < 0 ? bits ^ long.MaxValue : bits;
    }

    private static async Task WriteDuplicatesAsync(StageContext context, DedupOutcome outcome, CancellationToken cancellationToken)
    {
        var records = outcome.Records;
        int n = records.Count;
        var batch = new TableBatch(DuplicatesSchema, n, [
            records.Select(r => r.ClusterId).ToArray(),
            records.Select(r => (long?)r.KeptRow).ToArray(),
            records.Select(r => (long?)r.RemovedRow).ToArray(),
            records.Select(r => (double?)r.EstimatedJaccard).ToArray(),
            records.Select(r => r.ExactJaccard).ToArray(),
            records.Select(r => (string?)(r.Kind == DuplicateKind.Exact ? "exact" : "near")).ToArray(),
            records.Select(r => (string?)(r.Across ? "across" : "table")).ToArray(),
            records.Select(r => (bool?)r.LinkedViaCluster).ToArray(),
        ]);
        await ParquetTableWriter.WriteFileAsync(context.OutputPath("duplicates"), batch, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
