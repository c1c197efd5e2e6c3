using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using Pipelines.Training;

namespace Pipelines.Eval;

/// <summary>
/// <c>eval</c>: runs a base model with an adapter on a table and reports loss/perplexity (causal LM) or accuracy,
/// macro-F1, per-class precision/recall, the confusion matrix and per-group fairness figures (classification),
/// next to the base model without the adapter. Writes <c>report.json</c> and <c>report.html</c>.
/// </summary>
public sealed class EvalStage : Stage<EvalStageOptions>
{
    /// <inheritdoc />
    public override string Kind => "eval";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } =
    [
        new("data", ArtifactKind.Table),
        new("base_model", ArtifactKind.Model),
        new("adapter", ArtifactKind.Model, Required: false),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } = [new("report", ArtifactKind.Report)];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> LibraryVersions => TrainingLibraries.Versions;

    /// <inheritdoc />
    protected override IValidator<EvalStageOptions> Validator { get; } = new EvalStageOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, EvalStageOptions options, CancellationToken cancellationToken)
    {
        var device = DeviceResolver.Resolve(context.Device, context.Logger);
        var baseDir = context.InputPath("base_model");
        var adapterDir = context.HasInput("adapter") ? context.InputPath("adapter") : null;
        var table = await TableColumns.ReadNonEmptyAsync(context, "data", cancellationToken).ConfigureAwait(false);
        var columns = new TaskColumns(options.Task, options.TextColumn, options.PromptColumn, options.ResponseColumn, options.LabelColumn);
        var config = ModelDirectory.LoadConfig(baseDir);
        var tokenizer = ModelDirectory.LoadTokenizer(baseDir);

        JsonObject report;
        if (options.Task == TrainingTask.CausalLm)
        {
            var examples = TaskData.Build(table, "data", columns, new ExampleBuilder(tokenizer, Math.Min(options.MaxLength, config.Positions)), null);
            report = EvaluateLanguageModel(options, baseDir, adapterDir, device, examples, context);
        }
        else
        {
            var labels = adapterDir is not null && File.Exists(Path.Combine(adapterDir, TrainStage.LabelsFile))
                ? JsonSerializer.Deserialize<string[]>(File.ReadAllText(Path.Combine(adapterDir, TrainStage.LabelsFile)))!
                : TaskData.Labels(table, options.LabelColumn, "data");
            // Leave room for the label's tokens in zero-shot scoring.
            var room = labels.Max(l => tokenizer.Encode(" " + l).Count);
            var builder = new ExampleBuilder(tokenizer, Math.Max(2, Math.Min(options.MaxLength, config.Positions - room)));
            var examples = TaskData.Build(table, "data", columns, builder, labels);
            var sensitive = options.SensitiveColumns.ToDictionary(c => c, c => TableColumns.Text(table, c, "data", "sensitive_columns"), StringComparer.Ordinal);
            report = EvaluateClassifier(options, baseDir, adapterDir, device, labels, examples, sensitive, context);
        }

        await EvalReport.Render(report).WriteAsync(context.OutputPath("report"), report, cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject EvaluateLanguageModel(EvalStageOptions options, string baseDir, string? adapterDir, TorchSharp.torch.Device device,
        List<TrainingExample> examples, StageContext context)
    {
        var report = new JsonObject { ["task"] = "causal_lm", ["rows"] = examples.Count };
        LanguageModelMetrics? tuned = null;
        if (adapterDir is not null)
        {
            using var scorer = ModelScorer.Open(baseDir, adapterDir, TrainingTask.CausalLm, device, batchSize: options.BatchSize);
            var (sum, tokens) = scorer.LanguageModelLoss(examples);
            tuned = LanguageModelMetrics.FromSum(sum, tokens);
            report["adapter"] = EvalJson.Of(tuned);
            context.DeclareMetric("loss", Math.Round(tuned.Loss, 6), MetricDirection.Lower);
            context.DeclareMetric("perplexity", Math.Round(tuned.Perplexity, 4), MetricDirection.Lower);
        }

        if (options.CompareBase || adapterDir is null)
        {
            using var scorer = ModelScorer.Open(baseDir, null, TrainingTask.CausalLm, device, batchSize: options.BatchSize);
            var (sum, tokens) = scorer.LanguageModelLoss(examples);
            var baseline = LanguageModelMetrics.FromSum(sum, tokens);
            report["base"] = EvalJson.Of(baseline);
            context.DeclareMetric("base_perplexity", Math.Round(baseline.Perplexity, 4), MetricDirection.Lower);
            context.Logger.LogInformation("Perplexity: base {Base:F3}{Tuned}.", baseline.Perplexity, tuned is null ? "" : $", with adapter {tuned.Perplexity:F3}");
        }

        return report;
    }

    private static JsonObject EvaluateClassifier(EvalStageOptions options, string baseDir, string? adapterDir, TorchSharp.torch.Device device,
        IReadOnlyList<string> labels, List<TrainingExample> examples, Dictionary<string, string?[]> sensitive, StageContext context)
    {
        var positiveLabel = options.PositiveLabel ?? labels[^1];
        var positive = labels.ToList().IndexOf(positiveLabel);
        if (positive < 0)
        {
            throw new UserInputException($"'positive_label' is '{positiveLabel}', which is not one of the labels ({string.Join(", ", labels)}).");
        }

        var actual = examples.Select(e => e.Label).ToArray();
        var report = new JsonObject
        {
            ["task"] = "classification",
            ["rows"] = examples.Count,
            ["labels"] = new JsonArray(labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
            ["positive_label"] = positiveLabel,
        };

        JsonObject Evaluate(string? adapter, string key)
        {
            using var scorer = ModelScorer.Open(baseDir, adapter, TrainingTask.Classification, device, labels, options.BatchSize);
            var predicted = scorer.Predict(examples);
            var metrics = ClassificationMetrics.Compute(actual, predicted, labels);
            var groups = sensitive.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => GroupMetrics.Compute(p.Key, p.Value, actual, predicted, positive, positiveLabel)).ToList();
            var json = EvalJson.Of(metrics, groups);
            json["method"] = scorer.ZeroShot ? "zero-shot label likelihood" : "classifier";
            context.Logger.LogInformation("{Model}: accuracy {Accuracy:P2}, macro-F1 {F1:F4}.", key, metrics.Accuracy, metrics.MacroF1);
            return json;
        }

        if (adapterDir is not null)
        {
            report["adapter"] = Evaluate(adapterDir, "adapter");
            context.DeclareMetric("accuracy", Math.Round(report["adapter"]!["accuracy"]!.GetValue<double>(), 6), MetricDirection.Higher);
            context.DeclareMetric("macro_f1", Math.Round(report["adapter"]!["macro_f1"]!.GetValue<double>(), 6), MetricDirection.Higher);
        }

        if (options.CompareBase || adapterDir is null)
        {
            report["base"] = Evaluate(null, "base");
            context.DeclareMetric("base_accuracy", Math.Round(report["base"]!["accuracy"]!.GetValue<double>(), 6), MetricDirection.Higher);
        }

        return report;
    }
}
