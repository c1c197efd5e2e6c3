using Microsoft.Extensions.Logging;
using NUnit.Framework;
using System.Collections.Concurrent;
using FluentValidation;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Core.Tests.Support;

/// <summary>Options of <see cref="SourceStage"/>.</summary>
public sealed class SourceOptions
{
    /// <summary>Rows to write.</summary>
    public int Rows { get; set; } = 3;
    /// <summary>Text of every row.</summary>
    public string Text { get; set; } = "x";
}

/// <summary>Writes a table of <c>rows</c> rows (id, text); needs no input.</summary>
public sealed class SourceStage : Stage<SourceOptions>
{
    public override string Kind => "source";
    public override IReadOnlyList<StagePort> Inputs => [];
    public override IReadOnlyList<StagePort> Outputs => [new("table", ArtifactKind.Table)];
    protected override IValidator<SourceOptions> Validator { get; } = new SourceValidator();

    protected override async Task RunAsync(StageContext context, SourceOptions options, CancellationToken cancellationToken)
    {
        ExecutionLog.Record(context.StageId);
        var schema = new TableSchema([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("text", ColumnType.String)]);
        var ids = Enumerable.Range(0, options.Rows).Select(i => (long?)i).ToArray();
        var texts = Enumerable.Range(0, options.Rows).Select(_ => (string?)options.Text).ToArray();
        await ParquetTableWriter.WriteFileAsync(context.OutputPath("table"), new TableBatch(schema, options.Rows, [ids, texts]), cancellationToken: cancellationToken);
        context.Summary["rows_out"] = options.Rows;
    }

    private sealed class SourceValidator : AbstractValidator<SourceOptions>
    {
        public SourceValidator() => RuleFor(o => o.Rows).InclusiveBetween(0, 1_000_000);
    }
}

/// <summary>Options of <see cref="SuffixStage"/>.</summary>
public sealed class SuffixOptions
{
    /// <summary>Appended to every text (required).</summary>
    public required string Suffix { get; set; }
    /// <summary>When true, the stage ignores the suffix for its output (to test early cutoff).</summary>
    public bool IgnoreSuffix { get; set; }
    /// <summary>Milliseconds to wait (to test overlap and cancellation).</summary>
    public int DelayMs { get; set; }
    /// <summary>Fail instead of writing.</summary>
    public bool Fail { get; set; }
}

/// <summary>Appends a suffix to every text of its input table.</summary>
public sealed class SuffixStage : Stage<SuffixOptions>
{
    public override string Kind => "suffix";
    public override IReadOnlyList<StagePort> Inputs => [new("table", ArtifactKind.Table)];
    public override IReadOnlyList<StagePort> Outputs => [new("table", ArtifactKind.Table)];

    protected override async Task RunAsync(StageContext context, SuffixOptions options, CancellationToken cancellationToken)
    {
        ExecutionLog.Record(context.StageId);
        var started = DateTime.UtcNow;
        if (options.DelayMs > 0) await Task.Delay(options.DelayMs, cancellationToken);
        if (options.Fail) throw new InvalidDataException($"stage '{context.StageId}' was told to fail");
        var table = await ParquetTableReader.ReadFileAsync(context.InputPath("table"), cancellationToken);
        var texts = table.StringColumn("text").Select(t => options.IgnoreSuffix ? t : t + options.Suffix).ToArray();
        var result = new TableBatch(table.Schema, table.RowCount, [table.Column(0), texts]);
        await ParquetTableWriter.WriteFileAsync(context.OutputPath("table"), result, cancellationToken: cancellationToken);
        ExecutionLog.RecordInterval(context.StageId, started, DateTime.UtcNow);
    }
}

/// <summary>Options of <see cref="ConcatStage"/>.</summary>
public sealed class ConcatOptions
{
}

/// <summary>Concatenates two tables.</summary>
public sealed class ConcatStage : Stage<ConcatOptions>
{
    public override string Kind => "concat-test";
    public override IReadOnlyList<StagePort> Inputs => [new("left", ArtifactKind.Table), new("right", ArtifactKind.Table)];
    public override IReadOnlyList<StagePort> Outputs => [new("table", ArtifactKind.Table), new("report", ArtifactKind.Report)];

    protected override async Task RunAsync(StageContext context, ConcatOptions options, CancellationToken cancellationToken)
    {
        ExecutionLog.Record(context.StageId);
        var left = await ParquetTableReader.ReadFileAsync(context.InputPath("left"), cancellationToken);
        var right = await ParquetTableReader.ReadFileAsync(context.InputPath("right"), cancellationToken);
        await ParquetTableWriter.WriteFileAsync(context.OutputPath("table"), TableBatch.Concat(left.Schema, [left, right]), cancellationToken: cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(context.OutputPath("report"), "report.json"), $"{{\"rows\": {left.RowCount + right.RowCount}}}", cancellationToken);
    }
}

/// <summary>Records which stages executed, and when, so tests can tell running from restoring.</summary>
public static class ExecutionLog
{
    private static readonly ConcurrentQueue<string> Executions = new();
    private static readonly ConcurrentQueue<(string Stage, DateTime Start, DateTime End)> Intervals = new();

    public static void Record(string stageId) => Executions.Enqueue(stageId);
    public static void RecordInterval(string stageId, DateTime start, DateTime end) => Intervals.Enqueue((stageId, start, end));
    public static string[] Take() { var all = Executions.ToArray(); Executions.Clear(); return all.Order().ToArray(); }
    public static (string Stage, DateTime Start, DateTime End)[] TakeIntervals() { var all = Intervals.ToArray(); Intervals.Clear(); return all; }
}

/// <summary>Options of <see cref="BestParamsStage"/>.</summary>
public sealed class BestParamsOptions
{
    /// <summary>The suffix to recommend.</summary>
    public string Suffix { get; set; } = "-best";
}

/// <summary>Writes <c>{"params": {"suffix": ...}}</c>, like tune's best_params.</summary>
public sealed class BestParamsStage : Stage<BestParamsOptions>
{
    public override string Kind => "best-params";
    public override IReadOnlyList<StagePort> Inputs => [];
    public override IReadOnlyList<StagePort> Outputs => [new("best_params", ArtifactKind.File, Extension: ".json")];

    protected override Task RunAsync(StageContext context, BestParamsOptions options, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(context.OutputPath("best_params"), $"{{\"value\": 1.5, \"params\": {{\"suffix\": \"{options.Suffix}\"}}}}", cancellationToken);
}

/// <summary>Options of <see cref="OptionalOutputStage"/>.</summary>
public sealed class OptionalOutputOptions
{
    /// <summary>Whether to write the optional <c>extra</c> output.</summary>
    public bool WriteExtra { get; set; }
}

/// <summary>Always writes <c>main</c>; writes the optional directory output <c>extra</c> only when asked (like train's merged model).</summary>
public sealed class OptionalOutputStage : Stage<OptionalOutputOptions>
{
    public override string Kind => "optional-output";
    public override IReadOnlyList<StagePort> Inputs => [];
    public override IReadOnlyList<StagePort> Outputs => [new("main", ArtifactKind.File, Extension: ".txt"), new("extra", ArtifactKind.Model, Required: false)];

    protected override async Task RunAsync(StageContext context, OptionalOutputOptions options, CancellationToken cancellationToken)
    {
        await File.WriteAllTextAsync(context.OutputPath("main"), "main", cancellationToken);
        if (options.WriteExtra) await File.WriteAllTextAsync(Path.Combine(context.OutputPath("extra"), "weights.bin"), "extra", cancellationToken);
    }
}

/// <summary>Copies a model directory's files into a report directory (a consumer of an optional output).</summary>
public sealed class ModelCopyStage : Stage<NoOptions>
{
    public override string Kind => "model-copy";
    public override IReadOnlyList<StagePort> Inputs => [new("model", ArtifactKind.Model)];
    public override IReadOnlyList<StagePort> Outputs => [new("copy", ArtifactKind.Report)];

    protected override Task RunAsync(StageContext context, NoOptions options, CancellationToken cancellationToken)
    {
        foreach (var file in Directory.GetFiles(context.InputPath("model")))
            File.Copy(file, Path.Combine(context.OutputPath("copy"), Path.GetFileName(file)));
        return Task.CompletedTask;
    }
}

/// <summary>Logs a line, then fails with an exception no stage foresees (a bug, as opposed to bad input).</summary>
public sealed class CrashStage : Stage<NoOptions>
{
    public override string Kind => "crash";
    public override IReadOnlyList<StagePort> Inputs => [new("table", ArtifactKind.Table)];
    public override IReadOnlyList<StagePort> Outputs => [new("table", ArtifactKind.Table)];

    protected override Task RunAsync(StageContext context, NoOptions options, CancellationToken cancellationToken)
    {
        context.Logger.LogInformation("read the input, about to crash");
        return Task.FromException(new InvalidOperationException("the index went past the end"));
    }
}

/// <summary>No options.</summary>
public sealed class NoOptions;
