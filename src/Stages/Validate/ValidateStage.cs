using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Reporting;
using Pipelines.Core.Schemas;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Validate;

/// <summary>
/// <c>validate</c>: checks a table against a data-schema (types, nullability, ranges, allowed values, patterns,
/// uniqueness, row counts), streaming row groups, and writes the violations as a table and a report.
/// </summary>
public sealed class ValidateStage : Stage<ValidateOptions>
{
    private static readonly TableSchema ViolationSchema = new([
        new ColumnSchema("row", ColumnType.Int64), new ColumnSchema("line", ColumnType.Int64), new ColumnSchema("column", ColumnType.String), new ColumnSchema("rule", ColumnType.String),
        new ColumnSchema("value", ColumnType.String), new ColumnSchema("message", ColumnType.String)]);

    /// <inheritdoc />
    public override string Kind => "validate";

    /// <inheritdoc />
    /// <remarks>2: the report groups violations by column, rule and value, and profiles the columns when all holds.</remarks>
    public override string Version => "3";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } = [new("table", ArtifactKind.Table), new("schema", ArtifactKind.File) { IsDataSchema = true }];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } =
        [new("table", ArtifactKind.Table), new("violations", ArtifactKind.Table), new("report", ArtifactKind.Report)];

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, ValidateOptions options, CancellationToken cancellationToken)
    {
        var schema = DataSchemaLoader.Load(context.InputPath("schema"));
        await using var reader = await context.OpenTableAsync("table", cancellationToken);
        var checker = new SchemaChecker(schema, reader.Schema);
        var lines = SourceLines.From(reader.Metadata);
        var profiler = new ColumnProfiler(reader.Schema);
        long offset = 0;
        await using (var passThrough = await context.CreateTableAsync("table", reader.Schema, cancellationToken))
        {
            await foreach (var batch in reader.ReadBatchesAsync(cancellationToken))
            {
                checker.Check(batch, offset);
                profiler.Add(batch);
                await passThrough.WriteBatchAsync(batch, cancellationToken);
                offset += batch.RowCount;
                context.Progress.Report(new StageProgress(offset, reader.RowCount));
            }
            if (offset == 0) await passThrough.WriteBatchAsync(TableBatch.Empty(reader.Schema), cancellationToken);
        }
        checker.Finish(offset);

        var v = checker.Violations;
        var batchOut = new TableBatch(ViolationSchema, v.Count, [
            v.Select(x => (long?)x.Row).ToArray(), v.Select(x => x.Row >= 0 ? lines?.LineOf(x.Row) : null).ToArray(), v.Select(x => (string?)x.Column).ToArray(), v.Select(x => (string?)x.Rule).ToArray(),
            v.Select(x => x.Value).ToArray(), v.Select(x => (string?)x.Message).ToArray()]);
        await ParquetTableWriter.WriteFileAsync(context.OutputPath("violations"), batchOut, cancellationToken: cancellationToken);
        await WriteReportAsync(context, schema, offset, checker, profiler, lines, cancellationToken);

        context.Summary["rows"] = offset;
        context.DeclareMetric("violations", checker.Total, MetricDirection.Lower);
        context.Logger.LogValidated(offset, schema.Name, checker.Total);
        if (checker.Total > 0 && options.FailOnViolation)
        {
            var rules = string.Join(", ", checker.CountsByRule.Select(p => $"{p.Key} × {p.Value}"));
            throw new DataCheckFailedException($"{checker.Total} violation(s) of data-schema '{schema.Name}' ({rules}); first: {Located(v[0], lines)} See the 'violations' table and report.");
        }
    }

    /// <summary>A violation's message, led by the source line its row began on when the table's map knows it.</summary>
    private static string Located(SchemaViolation violation, SourceLines? lines) =>
        violation.Row >= 0 && lines?.LineOf(violation.Row) is { } line ? $"{lines.File}:{line}: {violation.Message}" : violation.Message;

    private static Task WriteReportAsync(StageContext context, DataSchema schema, long rows, SchemaChecker checker, ColumnProfiler profiler, SourceLines? lines, CancellationToken ct)
    {
        var report = new HtmlReport($"Validation of '{context.StageId}' against '{schema.Name}'")
            .KeyFigures([("rows checked", rows), ("violations", checker.Total), ("rules broken", checker.CountsByRule.Count)]);
        var json = new JsonObject
        {
            ["schema"] = schema.Name,
            ["rows"] = rows,
            ["violations"] = checker.Total,
            ["by_rule"] = new JsonObject(checker.CountsByRule.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
        };
        if (checker.Total == 0)
        {
            var profiles = profiler.Profiles();
            report.Paragraph("Every rule holds.", "ok");
            ValidateReport.AddProfile(report, profiles);
            json["profile"] = ValidateReport.ProfileJson(profiles);
        }
        else
        {
            report.Heading("Violations by rule")
                .Chart("Violations by rule", new JsonArray(new JsonObject
                {
                    ["type"] = "bar",
                    ["x"] = new JsonArray(checker.CountsByRule.Keys.Select(k => (JsonNode?)k).ToArray()),
                    ["y"] = new JsonArray(checker.CountsByRule.Values.Select(c => (JsonNode?)c).ToArray()),
                }));
            ValidateReport.AddGroups(report, checker.Grouped, lines);
            json["groups"] = ValidateReport.GroupsJson(checker.Grouped, lines);
        }
        return report.WriteAsync(context.OutputPath("report"), json, ct);
    }
}
