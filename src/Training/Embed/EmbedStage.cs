using System.Diagnostics;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Training.Packaged;

namespace Pipelines.Training.Embed;

/// <summary>
/// <c>embed</c>: adds a sentence-embedding column (list&lt;float&gt;, one fixed-size vector per row) computed from a
/// String column by a packaged model's own ONNX graph (<see cref="SentenceEncoder"/>). Streams: one input row group
/// at a time, written out in slices of at most 4096 rows, so memory does not grow with the table.
/// </summary>
public sealed class EmbedStage : Stage<EmbedStageOptions>
{
    /// <inheritdoc />
    public override string Kind => "embed";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } = [new("table", ArtifactKind.Table)];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } = [new("table", ArtifactKind.Table)];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> LibraryVersions { get; } = BuildVersions();

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<EmbedStageOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<EmbedStageOptions> Validator => _validator ??= new EmbedStageOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, EmbedStageOptions options, CancellationToken cancellationToken)
    {
        await using var reader = await context.OpenTableAsync("table", cancellationToken).ConfigureAwait(false);
        int column = reader.Schema.IndexOf(options.Column);
        if (column < 0)
        {
            throw new UserInputException($"Column '{options.Column}' (in 'column') does not exist in input 'table'. The table has: {string.Join(", ", reader.Schema.Columns.Select(c => c.Name))}.");
        }

        if (reader.Schema.Columns[column].Type != ColumnType.String)
        {
            throw new UserInputException($"Column '{options.Column}' (in 'column') is {ColumnSchema.TypeName(reader.Schema.Columns[column].Type)}; embed needs a String column.");
        }

        if (reader.Schema.IndexOf(options.OutputColumn) >= 0)
        {
            throw new UserInputException($"Column '{options.OutputColumn}' (in 'output_column') already exists in input 'table'; choose another 'output_column'.");
        }

        using var encoder = new SentenceEncoder(options.Model, new SentenceEncoderOptions
        {
            BatchSize = options.BatchSize,
            MaxLength = options.MaxLength,
            Normalize = options.Normalize,
            Threads = options.Threads,
        });
        var schema = reader.Schema.Append(new ColumnSchema(options.OutputColumn, ColumnType.FloatList, Nullable: false));
        await using var writer = await context.CreateTableAsync("table", schema, cancellationToken).ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        long done = 0;
        await foreach (var batch in reader.ReadBatchesAsync(cancellationToken).ConfigureAwait(false))
        {
            var texts = (string?[])batch.Column(column);
            for (int start = 0; start < batch.RowCount; start += EmbedConstants.RowsPerSlice)
            {
                int count = Math.Min(EmbedConstants.RowsPerSlice, batch.RowCount - start);
                var rows = Enumerable.Range(start, count).ToArray();
                var slice = count == batch.RowCount ? batch : batch.Select(rows);
                var vectors = encoder.Encode(rows.Select(r => texts[r] ?? "").ToArray());
                var arrays = slice.Columns.Append(vectors.Cast<float[]?>().ToArray()).ToArray();
                await writer.WriteBatchAsync(new TableBatch(schema, count, arrays), cancellationToken).ConfigureAwait(false);
                done += count;
                context.Progress.Report(new StageProgress(done, reader.RowCount, "embedding texts"));
            }
        }

        double seconds = clock.Elapsed.TotalSeconds;
        context.Summary["rows"] = done;
        context.Summary["dimensions"] = (long)encoder.Dimensions;
        context.Summary["model"] = $"{encoder.Model.PackageId} {encoder.Model.PackageVersion}";
        context.Logger.LogInformation("Embedded {Rows} texts of '{Column}' into '{Output}' ({Dimensions} floats each) with {Model} in {Seconds:F1} s ({Rate:F0} texts/s, {Threads} thread(s)).",
            done, options.Column, options.OutputColumn, encoder.Dimensions, encoder.Model.Name, seconds, done / Math.Max(seconds, 1e-9), options.Threads);
    }

    private static SortedDictionary<string, string> BuildVersions()
    {
        var versions = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["Microsoft.ML.OnnxRuntime"] = LibraryVersion.Of(typeof(InferenceSession)),
            ["Microsoft.ML.Tokenizers"] = LibraryVersion.Of(typeof(Microsoft.ML.Tokenizers.Tokenizer)),
            ["Parquet.Net"] = LibraryVersion.Of(typeof(Parquet.ParquetWriter)),
        };
        foreach (var model in PackagedModels.Known)
        {
            versions[model.PackageId] = model.PackageVersion;
        }

        return versions;
    }
}
