using Microsoft.Extensions.Logging;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// <c>dedup</c> with <c>mode: semantic</c>: the same two passes as the text modes (collect, then stream the kept rows
/// out), over an embedding column instead of text. Its <c>duplicates</c> table carries the pair's cosine.
/// </summary>
internal static class SemanticDedupRun
{
    private static readonly TableSchema DuplicatesSchema = new([
        new ColumnSchema("cluster_id", ColumnType.Int64),
        new ColumnSchema("kept_row", ColumnType.Int64, Nullable: false),
        new ColumnSchema("removed_row", ColumnType.Int64, Nullable: false),
        new ColumnSchema("cosine", ColumnType.Double, Nullable: false),
        new ColumnSchema("kind", ColumnType.String, Nullable: false),
        new ColumnSchema("matched", ColumnType.String, Nullable: false),
        new ColumnSchema("linked_via_cluster", ColumnType.Boolean, Nullable: false),
    ]);

    public static async Task RunAsync(StageContext context, DedupOptions options, CancellationToken cancellationToken)
    {
        var session = new SemanticDedupSession(
            new SemanticDuplicateOptions
            {
                Threshold = options.CosineThreshold,
                Bits = options.LshBits,
                Tables = options.LshTables,
                Seed = options.Seed ?? context.Seed,
                MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            },
            options.Keep);

        long rowsIn;
        await using (var reader = await context.OpenTableAsync("table", cancellationToken).ConfigureAwait(false))
        {
            rowsIn = reader.RowCount;
            int embedding = ResolveEmbedding(reader.Schema, options.EmbeddingColumn!, "table");
            int[] columns = DedupStage.ResolveColumns(reader.Schema, options, "table");
            int newest = options.Keep == KeepRule.Newest ? DedupStage.ResolveNewest(reader.Schema, options.NewestBy!) : -1;
            if (reader.RowCount == 0)
            {
                throw new InvalidDataException("Input 'table' has no rows; dedup needs at least one row.");
            }

            await foreach (var batch in reader.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                var texts = columns.Select(c => DedupStage.AsText(batch, c)).ToArray();
                var lengths = Enumerable.Range(0, batch.RowCount).Select(i => texts.Sum(t => t[i]?.Length ?? 0)).ToArray();
                Guard("table", options.EmbeddingColumn!, () => session.AddRows((float[]?[])batch.Column(embedding), lengths, newest >= 0 ? DedupStage.NewestKeys(batch, newest) : null));
                context.Progress.Report(new StageProgress(session.RowCount, reader.RowCount, "reading embeddings"));
            }
        }

        if (context.HasInput("across"))
        {
            await using var across = await context.OpenTableAsync("across", cancellationToken).ConfigureAwait(false);
            int embedding = ResolveEmbedding(across.Schema, options.EmbeddingColumn!, "across");
            await foreach (var batch in across.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                Guard("across", options.EmbeddingColumn!, () => session.AddAcrossRows((float[]?[])batch.Column(embedding)));
            }
        }

        SemanticDedupOutcome outcome;
        try
        {
            outcome = session.Complete();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"Column '{options.EmbeddingColumn}' (in 'embedding_column'): {e.Message}", e);
        }

        var shownTable = new HashSet<int>(SemanticDedupReport.TableRows(outcome));
        var tableTexts = new Dictionary<int, string>();
        await using (var reader = await context.OpenTableAsync("table", cancellationToken).ConfigureAwait(false))
        await using (var writer = await context.CreateTableAsync("table", reader.Schema, cancellationToken).ConfigureAwait(false))
        {
            int[] columns = DedupStage.ResolveColumns(reader.Schema, options, "table");
            int offset = 0;
            await foreach (var batch in reader.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                var kept = Enumerable.Range(0, batch.RowCount).Where(i => !outcome.Removed[offset + i]).ToArray();
                DedupStage.CollectTexts(batch, columns, offset, shownTable, tableTexts);
                await writer.WriteBatchAsync(kept.Length == batch.RowCount ? batch : batch.Select(kept), cancellationToken).ConfigureAwait(false);
                offset += batch.RowCount;
            }
        }

        var shownAcross = new HashSet<int>(SemanticDedupReport.AcrossRows(outcome));
        var acrossTexts = new Dictionary<int, string>();
        if (shownAcross.Count > 0)
        {
            await using var across = await context.OpenTableAsync("across", cancellationToken).ConfigureAwait(false);
            int[] columns = DedupStage.ResolveColumns(across.Schema, options, "across");
            int offset = 0;
            await foreach (var batch in across.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
            {
                DedupStage.CollectTexts(batch, columns, offset, shownAcross, acrossTexts);
                offset += batch.RowCount;
            }
        }

        var records = outcome.Records;
        var duplicates = new TableBatch(DuplicatesSchema, records.Count, [
            records.Select(r => r.ClusterId).ToArray(),
            records.Select(r => (long?)r.KeptRow).ToArray(),
            records.Select(r => (long?)r.RemovedRow).ToArray(),
            records.Select(r => (double?)r.Cosine).ToArray(),
            records.Select(r => (string?)(r.Exact ? "exact" : "semantic")).ToArray(),
            records.Select(r => (string?)(r.Across ? "across" : "table")).ToArray(),
            records.Select(r => (bool?)r.LinkedViaCluster).ToArray(),
        ]);
        await ParquetTableWriter.WriteFileAsync(context.OutputPath("duplicates"), duplicates, cancellationToken: cancellationToken).ConfigureAwait(false);
        var report = SemanticDedupReport.Build(outcome, options, tableTexts, acrossTexts);
        await SemanticDedupReport.WriteAsync(context.OutputPath("report"), report, cancellationToken).ConfigureAwait(false);

        context.Summary["rows_in"] = rowsIn;
        context.Summary["rows_out"] = (long)outcome.RowsOut;
        context.DeclareMetric("duplicates_removed", outcome.Records.Count, MetricDirection.None);
        context.Summary["exact_removed"] = (long)outcome.ExactCount;
        context.Summary["semantic_removed"] = (long)outcome.SemanticCount;
        context.Summary["across_removed"] = (long)outcome.AcrossCount;
        context.Logger.LogInformation(
            "Semantic dedup kept {Kept} of {Rows} rows: {Exact} identical, {Semantic} by cosine ≥ {Threshold} and {Across} across duplicates removed ({Candidates} candidate pairs verified).",
            outcome.RowsOut, rowsIn, outcome.ExactCount, outcome.SemanticCount, options.CosineThreshold, outcome.AcrossCount, outcome.Within.CandidatePairs + (outcome.Across?.CandidatePairs ?? 0));
    }

    private static int ResolveEmbedding(TableSchema schema, string name, string input)
    {
        int index = schema.IndexOf(name);
        if (index < 0)
        {
            throw new UserInputException(
                $"Column '{name}' (in 'embedding_column') does not exist in input '{input}'. The table has: {string.Join(", ", schema.Columns.Select(c => c.Name))}.");
        }

        var type = schema.Columns[index].Type;
        return type == ColumnType.FloatList
            ? index
            : throw new UserInputException($"Column '{name}' (in 'embedding_column') of input '{input}' is {ColumnSchema.TypeName(type)}; semantic dedup needs a list<float> column, such as the embed stage writes.");
    }

    private static void Guard(string input, string column, Action add)
    {
        try
        {
            add();
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"Column '{column}' (in 'embedding_column') of input '{input}': {e.Message}", e);
        }
    }
}
