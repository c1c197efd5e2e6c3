using System.Globalization;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Bias;

/// <summary>
/// The <c>bias</c> stage: representation, label balance and group fairness metrics of a table, with
/// thresholds that warn or fail the run. Writes a <c>metrics</c> table and a report.
/// </summary>
public sealed class BiasStage : Stage<BiasOptions>
{
    private static readonly TableSchema MetricsSchema = new([
        new ColumnSchema("attribute", ColumnType.String, Nullable: false),
        new ColumnSchema("group", ColumnType.String, Nullable: false),
        new ColumnSchema("metric", ColumnType.String, Nullable: false),
        new ColumnSchema("value", ColumnType.Double),
        new ColumnSchema("subset", ColumnType.String, Nullable: false),
        new ColumnSchema("ci_low", ColumnType.Double),
        new ColumnSchema("ci_high", ColumnType.Double),
    ]);

    /// <inheritdoc />
    public override string Kind => "bias";

    /// <inheritdoc />
    public override string Version => "2";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } = [new StagePort("table", ArtifactKind.Table)];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } =
        [new StagePort("metrics", ArtifactKind.Table), new StagePort("report", ArtifactKind.Report)];

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<BiasOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<BiasOptions>? Validator => _validator ??= new BiasOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, BiasOptions options, CancellationToken cancellationToken)
    {
        TableBatch table;
        await using (var reader = await context.OpenTableAsync("table", cancellationToken).ConfigureAwait(false))
        {
            table = await reader.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        }

        if (table.RowCount == 0)
        {
            throw new InvalidDataException("Input 'table' has no rows; bias needs at least one row.");
        }

        var data = new BiasData
        {
            Labels = Categorical(table, Column(table, options.Label, "label"), null),
            Attributes = options.Sensitive.Select(name =>
                new SensitiveAttribute(name, Categorical(table, Column(table, name, "sensitive"), options.Bins.GetValueOrDefault(name)))).ToArray(),
            Predictions = options.Prediction is null ? null : Categorical(table, Column(table, options.Prediction, "prediction"), null),
            Source = table.Schema.IndexOf("_source") is var s and >= 0 ? Categorical(table, s, null) : null,
            TextColumns = options.TextColumns.Select(name => new TextAttribute(name, TextColumn(table, name))).ToArray(),
        };
        foreach (string binned in options.Bins.Keys.Where(k => !options.Sensitive.Contains(k)))
        {
            throw new InvalidDataException($"'bins.{binned}' names a column that is not in 'sensitive'.");
        }

        var analysis = BiasAnalyzer.Analyze(data, new BiasSettings
        {
            PositiveLabel = options.PositiveLabel,
            Thresholds = options.Thresholds,
            ReferenceGroup = options.ReferenceGroup,
            MinGroupSize = options.MinGroupSize,
            Confidence = options.Confidence,
            Bootstrap = options.Bootstrap,
            Seed = options.Seed ?? context.Seed,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            Reference = options.Reference.ToDictionary(kv => kv.Key, kv => (IReadOnlyDictionary<string, double>)kv.Value),
        });

        var metrics = analysis.Metrics;
        await ParquetTableWriter.WriteFileAsync(context.OutputPath("metrics"), new TableBatch(MetricsSchema, metrics.Count, [
            metrics.Select(m => (string?)m.Attribute).ToArray(),
            metrics.Select(m => (string?)m.Group).ToArray(),
            metrics.Select(m => (string?)m.Metric).ToArray(),
            metrics.Select(m => double.IsFinite(m.Value) ? (double?)m.Value : null).ToArray(),
            metrics.Select(m => (string?)m.Subset).ToArray(),
            metrics.Select(m => m.Low).ToArray(),
            metrics.Select(m => m.High).ToArray(),
        ]), cancellationToken: cancellationToken).ConfigureAwait(false);
        await BiasReport.WriteAsync(context.OutputPath("report"), BiasReport.Build(analysis, options), analysis, options, cancellationToken).ConfigureAwait(false);

        context.Summary["rows_in"] = (long)table.RowCount;
        context.DeclareMetric("bias_violations", analysis.Broken.Count, MetricDirection.Lower);
        context.Summary["bias_inconclusive"] = (long)analysis.Inconclusive.Count;
        foreach (string attribute in options.Sensitive)
        {
            if (analysis.Get(attribute, "*", "disparate_impact") is { } di)
            {
                context.DeclareMetric("disparate_impact." + attribute, di, MetricDirection.Higher); // closer to 1 is fairer; below 1 is the usual case
            }
        }

        foreach (var violation in analysis.Violations)
        {
            context.Logger.LogWarning("Bias threshold broken: {Violation}", violation.ToString());
        }

        foreach (string note in analysis.Notes)
        {
            context.Logger.LogInformation("Bias: {Note}", note);
        }

        if (analysis.Broken.Count > 0 && options.OnViolation == ViolationAction.Fail)
        {
            throw new BiasThresholdException(analysis.Broken);
        }
    }

    private static int Column(TableBatch table, string name, string option)
    {
        int index = table.Schema.IndexOf(name);
        if (index < 0)
        {
            throw new InvalidDataException(
                $"Column '{name}' (in '{option}') does not exist in input 'table'. The table has: {string.Join(", ", table.Schema.Columns.Select(c => c.Name))}.");
        }

        return index;
    }

    private static string?[] TextColumn(TableBatch table, string name) =>
        table.Column(Column(table, name, "text_columns")) as string?[]
        ?? throw new InvalidDataException($"Column '{name}' (in 'text_columns') is {ColumnSchema.TypeName(table.Schema.Get(name).Type)}; it must be String.");

    // Group labels per row: strings as they are, numbers binned when edges are given, else as invariant text.
    private static string?[] Categorical(TableBatch table, int column, List<double>? edges)
    {
        var array = table.Column(column);
        if (edges is not null)
        {
            var binner = new NumericBinner(edges);
            return array switch
            {
                long?[] l => l.Select(v => binner.Bin(v)).ToArray(),
                double?[] d => d.Select(v => binner.Bin(v)).ToArray(),
                _ => throw new InvalidDataException(
                    $"Column '{table.Schema.Columns[column].Name}' has bin edges but is {ColumnSchema.TypeName(table.Schema.Columns[column].Type)}; only Int64 and Double columns can be binned."),
            };
        }

        return array switch
        {
            string?[] s => s,
            long?[] l => l.Select(v => v?.ToString(CultureInfo.InvariantCulture)).ToArray(),
            double?[] d => d.Select(v => v?.ToString("R", CultureInfo.InvariantCulture)).ToArray(),
            bool?[] b => b.Select(v => v is null ? null : v.Value ? "true" : "false").ToArray(),
            DateTime?[] t => t.Select(v => v?.ToString("O", CultureInfo.InvariantCulture)).ToArray(),
            float[]?[] => throw new InvalidDataException(
                $"Column '{table.Schema.Columns[column].Name}' is list<float> (an embedding); group columns must be String, Int64, Double, Boolean or Timestamp."),
            _ => throw new InvalidOperationException("Unexpected column array type."),
        };
    }
}
