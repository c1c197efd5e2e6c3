using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Synthetic;

/// <summary>
/// <c>synthesize</c>: fits a generator on <c>table</c> and writes <c>synthetic</c> (with
/// <c>_source = synthetic</c>), <c>mixed</c> (real then synthetic rows when <c>mix: true</c>, else empty),
/// <c>model</c> (the fitted generator) and <c>report</c> (quality and privacy, JSON + HTML).
/// </summary>
public sealed class SynthesizeStage : Stage<SynthesizeOptions>
{
    private readonly SynthesisMethodRegistry _registry;
    private SynthesizeOptionsValidator? _validator; // built on first use, as the other stages' validators

    /// <summary>Creates the stage with the default methods.</summary>
    public SynthesizeStage()
        : this(SynthesisMethodRegistry.CreateDefault())
    {
    }

    /// <summary>Creates the stage with the given methods.</summary>
    public SynthesizeStage(SynthesisMethodRegistry registry)
    {
        _registry = registry ?? throw new ArgumentNullException(nameof(registry));
    }

    /// <inheritdoc />
    public override string Kind => SynthesizeConstants.Kind;

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } =
    [
        new(SynthesizeConstants.InputTable, ArtifactKind.Table),
        new(SynthesizeConstants.InputHoldout, ArtifactKind.Table, Required: false),
        new(SynthesizeConstants.InputGenerator, ArtifactKind.Model, Required: false),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } =
    [
        new(SynthesizeConstants.OutputSynthetic, ArtifactKind.Table),
        new(SynthesizeConstants.OutputMixed, ArtifactKind.Table, Required: false),
        new(SynthesizeConstants.OutputModel, ArtifactKind.Model),
        new(SynthesizeConstants.OutputReport, ArtifactKind.Report),
    ];

    /// <inheritdoc />
    /// <remarks>2: a text generator's report shows its first texts beside real ones.</remarks>
    public override string Version => "3";

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> LibraryVersions =>
        _registry.Names.SelectMany(n => _registry.Find(n)!.LibraryVersions)
            .GroupBy(kv => kv.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Value, StringComparer.Ordinal);

    /// <inheritdoc />
    protected override IValidator<SynthesizeOptions> Validator => _validator ??= new SynthesizeOptionsValidator(_registry);

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, SynthesizeOptions options, CancellationToken cancellationToken)
    {
        var method = _registry.Find(options.Method)
            ?? throw new UserInputException($"Stage '{context.StageId}': 'method' must be one of {string.Join(", ", _registry.Names)}. You entered '{options.Method}'.");
        var real = await ReadTableAsync(context, SynthesizeConstants.InputTable, cancellationToken);
        var holdout = context.HasInput(SynthesizeConstants.InputHoldout)
            ? await ReadTableAsync(context, SynthesizeConstants.InputHoldout, cancellationToken)
            : null;

        ColumnTable synthetic;
        SyntheticDataReport report;
        try
        {
            var rules = method is TabularSynthesisMethod ? RulesFor(real, options) : DataRules.None;
            var request = new SynthesisRequest(real, options, context.Seed, context.OutputPath(SynthesizeConstants.OutputModel),
                context.HasInput(SynthesizeConstants.InputGenerator) ? context.InputPath(SynthesizeConstants.InputGenerator) : null,
                context.Logger, context.Progress) { Rules = rules };
            synthetic = await method.GenerateAsync(request, cancellationToken);
            report = BuildReport(method.Name, real, synthetic, holdout, options, context.Seed) with
            {
                TextSamples = SampleTexts(real, synthetic, options),
                Rules = rules.Rules.Count == 0 ? null : RuleReports(rules, real, synthetic),
            };
        }
        catch (ArgumentException e)
        {
            throw new UserInputException($"Stage '{context.StageId}': {e.Message}", e);
        }

        await WriteAsync(context, SynthesizeConstants.OutputSynthetic,
            TableConversion.ToBatch(synthetic, SynthesizeConstants.SourceColumn, SynthesizeConstants.SourceSynthetic), cancellationToken);
        // The runner stores every declared output, so without 'mix' the mixed table is written empty (same schema).
        var realBatch = TableConversion.ToBatch(real, SynthesizeConstants.SourceColumn, SynthesizeConstants.SourceReal);
        var mixed = options.Mix
            ? TableBatch.Concat(realBatch.Schema, [realBatch,
                TableConversion.ToBatch(AlignTo(synthetic, real), SynthesizeConstants.SourceColumn, SynthesizeConstants.SourceSynthetic)])
            : TableBatch.Empty(realBatch.Schema);
        await WriteAsync(context, SynthesizeConstants.OutputMixed, mixed, cancellationToken);

        await SyntheticReportWriter.WriteAsync(context.OutputPath(SynthesizeConstants.OutputReport), report, cancellationToken);
        context.Summary["rows_in"] = real.RowCount;
        context.Summary["rows_out"] = synthetic.RowCount;
        if (report.Quality is { } quality)
        {
            context.DeclareMetric("quality_score", Math.Round(quality.OverallScore, 4), MetricDirection.Higher);
        }

        if (report.Privacy.DcrRatio is { } ratio)
        {
            context.Summary["dcr_ratio"] = Math.Round(ratio, 4);
        }

        if (report.Privacy.Warning is { } warning)
        {
            context.Logger.LogWarning("{Warning}", warning);
        }

        context.Logger.LogInformation("Generated {Rows} rows with {Method}; quality {Quality}", synthetic.RowCount, method.Name,
            report.Quality is { } q ? q.OverallScore.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) : "n/a");
    }

    private static async Task<ColumnTable> ReadTableAsync(StageContext context, string input, CancellationToken cancellationToken)
    {
        await using var reader = await context.OpenTableAsync(input, cancellationToken);
        var batch = await reader.ReadAllAsync(cancellationToken);
        if (batch.RowCount == 0)
        {
            throw new UserInputException($"Stage '{context.StageId}': input '{input}' is empty; a synthesizer needs rows to learn from.");
        }

        // A table that already mixes real and synthetic rows carries _source; it is not a column to model.
        return TableConversion.ToColumnTable(batch, exclude: SynthesizeConstants.SourceColumn);
    }

    private static async Task WriteAsync(StageContext context, string output, TableBatch batch, CancellationToken cancellationToken)
    {
        await using var writer = await context.CreateTableAsync(output, batch.Schema, cancellationToken);
        if (batch.RowCount > 0)
        {
            await writer.WriteBatchAsync(batch, cancellationToken);
        }
    }

    /// <summary>The synthetic columns in the real table's order (a method may reorder them).</summary>
    private static ColumnTable AlignTo(ColumnTable synthetic, ColumnTable real)
    {
        if (synthetic.Columns.Count != real.Columns.Count || real.Columns.Any(c => synthetic.IndexOf(c.Name) < 0 || synthetic[c.Name].Storage != c.Storage))
        {
            throw new ArgumentException("'mix: true' needs synthetic rows with the same columns and types as the real table.");
        }

        return new ColumnTable(real.Columns.Select(c => synthetic[c.Name]));
    }

    private static SyntheticDataReport BuildReport(string method, ColumnTable real, ColumnTable synthetic, ColumnTable? holdout, SynthesizeOptions options, long seed)
    {
        bool comparable = real.Columns.All(c => synthetic.IndexOf(c.Name) >= 0);
        var privacy = PrivacyEvaluator.Evaluate(real, synthetic, holdout, SeededRandom.Derive(seed, 3), options.PrivacyRows);
        if (!comparable || synthetic.RowCount == 0)
        {
            return new SyntheticDataReport(method, real.RowCount, synthetic.RowCount, null, privacy);
        }

        // Conditioned or balanced rows are compared with the real rows of the same groups.
        var rows = RowsOfTheSameGroups(real, synthetic, options);
        if (rows.Length == 0)
        {
            return new SyntheticDataReport(method, real.RowCount, synthetic.RowCount, null, privacy);
        }

        var reference = rows.Length == real.RowCount ? real : real.Take(rows);
        var baseline = QualityEvaluator.Evaluate(reference, QualityEvaluator.IndependentColumns(reference, SeededRandom.Derive(seed, 4)));
        return new SyntheticDataReport(method, real.RowCount, synthetic.RowCount, QualityEvaluator.Evaluate(reference, synthetic), privacy)
        {
            Baseline = new IndependentBaseline(baseline.ColumnShapesScore, baseline.ColumnPairTrendsScore, baseline.ThresholdedPairTrendsScore),
        };
    }

    /// <summary>Declared constraints first, then the detected relations that do not repeat one.</summary>
    private static DataRules RulesFor(ColumnTable real, SynthesizeOptions options)
    {
        var declared = (options.Constraints ?? []).Select(c => c.ToRule(real)).ToList();
        var detected = options.DetectConstraints ? RuleDetector.Detect(real) : [];
        static string Key(IDataRule r) => r.Type + ":" + string.Join(",", r.Columns.Order(StringComparer.Ordinal));
        var taken = declared.Select(Key).ToHashSet(StringComparer.Ordinal);
        var dependents = declared.OfType<FunctionalDependency>().Select(f => f.Dependent).ToHashSet(StringComparer.Ordinal);
        return new DataRules([.. declared, .. detected.Where(r => !taken.Contains(Key(r)) && !(r is FunctionalDependency f && dependents.Contains(f.Dependent)))]);
    }

    private static RuleReport[] RuleReports(DataRules rules, ColumnTable real, ColumnTable synthetic)
    {
        var realShares = rules.Compliance(real);
        var syntheticShares = rules.Compliance(synthetic);
        return realShares.Zip(syntheticShares, (r, s) => new RuleReport(r.Type, r.Columns, r.Detected, r.Description, r.Share, s.Share)).ToArray();
    }

    /// <summary>The real rows whose conditioned (or balanced) columns hold values the synthetic rows hold; all rows when none is fixed.</summary>
    private static int[] RowsOfTheSameGroups(ColumnTable real, ColumnTable synthetic, SynthesizeOptions options)
    {
        var fixedColumns = (options.Conditions?.Keys ?? Enumerable.Empty<string>())
            .Concat(options.Balance is { } b ? [b.Column] : []).Where(c => synthetic.IndexOf(c) >= 0).Distinct().ToArray();
        var allowed = fixedColumns.Select(c => (Column: real[c], Values: Enumerable.Range(0, synthetic.RowCount)
            .Select(i => synthetic[c].GetValue(i)).Where(v => v is not null).ToHashSet())).ToArray();
        return Enumerable.Range(0, real.RowCount).Where(i => allowed.All(a => a.Column.GetValue(i) is { } v && a.Values.Contains(v))).ToArray();
    }

    /// <summary>For a text generator: its first texts beside the first real texts of the same groups, to read side by side.</summary>
    private static TextSamples? SampleTexts(ColumnTable real, ColumnTable synthetic, SynthesizeOptions options)
    {
        if (options.TextLm?["text_column"] is not JsonValue value || !value.TryGetValue(out string? column)
            || real.IndexOf(column) < 0 || synthetic.IndexOf(column) < 0)
        {
            return null;
        }

        static string Text(TableColumn c, int row) => c.GetValue(row)?.ToString() ?? "";
        var realTexts = RowsOfTheSameGroups(real, synthetic, options).Take(SynthesizeConstants.TextSamplesInReport).Select(i => Text(real[column], i));
        var generated = Enumerable.Range(0, Math.Min(synthetic.RowCount, SynthesizeConstants.TextSamplesInReport)).Select(i => Text(synthetic[column], i));
        return new TextSamples(column, realTexts.ToArray(), generated.ToArray());
    }
}
