using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Training;

namespace Pipelines.Eval;

/// <summary>
/// <c>eval</c>: runs a base model with an adapter on a table and reports loss/perplexity (causal LM) or accuracy,
/// macro-F1, per-class precision/recall, the confusion matrix and per-group fairness figures (classification),
/// next to the base model without the adapter. For classification it can also compare, on the same rows, a linear
/// probe (a logistic regression on the BERT base model's frozen sentence embeddings, fitted on input <c>train</c>) and
/// a second model (<c>compare_base_model</c> + <c>compare_adapter</c>, e.g. a from-scratch GPT-2 path). Writes
/// <c>report.json</c> and <c>report.html</c>.
/// </summary>
public sealed class EvalStage : Stage<EvalStageOptions>
{
    /// <inheritdoc />
    public override string Kind => "eval";

    /// <inheritdoc />
    public override string Version => "2"; // BERT bases, linear probe, second model

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } =
    [
        new("data", ArtifactKind.Table),
        new("base_model", ArtifactKind.Model),
        new("adapter", ArtifactKind.Model, Required: false),
        new("train", ArtifactKind.Table, Required: false),
        new("compare_base_model", ArtifactKind.Model, Required: false),
        new("compare_adapter", ArtifactKind.Model, Required: false),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } = [new("report", ArtifactKind.Report)];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> LibraryVersions => TrainingLibraries.Versions;

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<EvalStageOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<EvalStageOptions> Validator => _validator ??= new EvalStageOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, EvalStageOptions options, CancellationToken cancellationToken)
    {
        using var torchLock = await TorchStageLock.EnterAsync(cancellationToken).ConfigureAwait(false); // LibTorch's generator and threads are process-wide
        var device = DeviceResolver.Resolve(context.Device, context.Logger);
        var baseDir = context.InputPath("base_model");
        var adapterDir = context.HasInput("adapter") ? context.InputPath("adapter") : null;
        var table = await TableColumns.ReadNonEmptyAsync(context, "data", cancellationToken).ConfigureAwait(false);
        var columns = new TaskColumns(options.Task, options.TextColumn, options.PromptColumn, options.ResponseColumn, options.LabelColumn);
        var config = ModelDirectory.LoadConfig(baseDir);

        JsonObject report;
        if (options.Task == TrainingTask.CausalLm)
        {
            if (config is BertConfig)
            {
                throw new UserInputException($"Input 'base_model' is a BERT encoder ({baseDir}): 'task' must be classification, not causal_lm.");
            }

            var tokenizer = ModelDirectory.LoadTokenizer(baseDir);
            var examples = TaskData.Build(table, "data", columns, new ExampleBuilder(tokenizer, Math.Min(options.MaxLength, config.Positions)), null);
            report = EvaluateLanguageModel(options, baseDir, adapterDir, device, examples, context);
        }
        else
        {
            var labels = adapterDir is not null && File.Exists(Path.Combine(adapterDir, TrainStage.LabelsFile))
                ? ModelScorer.TrainedLabels(adapterDir)
                : TaskData.Labels(table, options.LabelColumn, "data");
            var sensitive = options.SensitiveColumns.ToDictionary(c => c, c => TableColumns.Text(table, c, "data", "sensitive_columns"), StringComparer.Ordinal);
            var contenders = new List<Contender>();
            if (adapterDir is not null)
            {
                contenders.Add(new Contender("adapter", baseDir, adapterDir));
            }

            if (options.CompareBase || adapterDir is null)
            {
                if (config is BertConfig)
                {
                    if (adapterDir is null && !options.LinearProbe)
                    {
                        throw new UserInputException($"Input 'base_model' is a BERT encoder ({baseDir}): it has no language-model head to classify zero-shot, so eval needs input 'adapter' or 'linear_probe: true' with input 'train'.");
                    }

                    context.Logger.LogInformation("A BERT encoder has no zero-shot mode: the base model is compared as a linear probe only.");
                }
                else
                {
                    contenders.Add(new Contender("base", baseDir, null));
                }
            }

            if (context.HasInput("compare_base_model") || context.HasInput("compare_adapter"))
            {
                if (!context.HasInput("compare_base_model") || !context.HasInput("compare_adapter"))
                {
                    throw new UserInputException("Inputs 'compare_base_model' and 'compare_adapter' must be given together (the second model and its adapter).");
                }

                var compareAdapter = context.InputPath("compare_adapter");
                var compareLabels = ModelScorer.TrainedLabels(compareAdapter);
                if (!compareLabels.SequenceEqual(labels, StringComparer.Ordinal))
                {
                    throw new UserInputException($"Input 'compare_adapter' was trained on labels ({string.Join(", ", compareLabels)}), not the labels evaluated here ({string.Join(", ", labels)}).");
                }

                contenders.Add(new Contender("compare", context.InputPath("compare_base_model"), compareAdapter));
            }

            report = EvaluateClassifier(options, labels, table, columns, contenders, sensitive, device, context);
            if (options.LinearProbe)
            {
                await AddLinearProbeAsync(report, options, baseDir, config, labels, table, columns, sensitive, device, context, cancellationToken).ConfigureAwait(false);
            }
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

    private sealed record Contender(string Key, string BaseDir, string? AdapterDir);

    // The examples a base model reads: its own tokenizer, within its context. A GPT-2 or Llama base keeps room for
    // the longest label's tokens, as zero-shot scoring appends them (the same rows for its adapter, so they compare).
    private static List<TrainingExample> Examples(string baseDir, IReadOnlyList<string> labels, TableBatch table, TaskColumns columns, int maxLength)
    {
        var config = ModelDirectory.LoadConfig(baseDir);
        if (config is BertConfig)
        {
            return TaskData.Build(table, "data", columns, ExampleBuilder.ForModel(baseDir, config, maxLength), labels);
        }

        var tokenizer = ModelDirectory.LoadTokenizer(baseDir);
        var room = labels.Max(l => tokenizer.Encode(" " + l).Count);
        return TaskData.Build(table, "data", columns, new ExampleBuilder(tokenizer, Math.Max(2, Math.Min(maxLength, config.Positions - room))), labels);
    }

    private static int Positive(EvalStageOptions options, IReadOnlyList<string> labels, out string positiveLabel)
    {
        positiveLabel = options.PositiveLabel ?? labels[^1];
        var positive = labels.ToList().IndexOf(positiveLabel);
        if (positive < 0)
        {
            throw new UserInputException($"'positive_label' is '{positiveLabel}', which is not one of the labels ({string.Join(", ", labels)}).");
        }

        return positive;
    }

    private static JsonObject Score(int[] actual, int[] predicted, IReadOnlyList<string> labels, Dictionary<string, string?[]> sensitive, int positive, string positiveLabel, string method)
    {
        var metrics = ClassificationMetrics.Compute(actual, predicted, labels);
        var groups = sensitive.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => GroupMetrics.Compute(p.Key, p.Value, actual, predicted, positive, positiveLabel)).ToList();
        var json = EvalJson.Of(metrics, groups);
        json["method"] = method;
        return json;
    }

    private static JsonObject EvaluateClassifier(EvalStageOptions options, IReadOnlyList<string> labels, TableBatch table, TaskColumns columns,
        List<Contender> contenders, Dictionary<string, string?[]> sensitive, TorchSharp.torch.Device device, StageContext context)
    {
        var positive = Positive(options, labels, out var positiveLabel);
        var report = new JsonObject
        {
            ["task"] = "classification",
            ["rows"] = table.RowCount,
            ["labels"] = new JsonArray(labels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
            ["positive_label"] = positiveLabel,
        };

        var examples = new Dictionary<string, List<TrainingExample>>(StringComparer.Ordinal);
        foreach (var (key, baseDir, adapter) in contenders)
        {
            if (!examples.TryGetValue(baseDir, out var rows))
            {
                rows = Examples(baseDir, labels, table, columns, options.MaxLength);
                examples[baseDir] = rows;
            }

            using var scorer = ModelScorer.Open(baseDir, adapter, TrainingTask.Classification, device, labels, options.BatchSize);
            var actual = rows.Select(e => e.Label).ToArray();
            var json = Score(actual, scorer.Predict(rows), labels, sensitive, positive, positiveLabel, scorer.ZeroShot ? "zero-shot label likelihood" : "classifier");
            context.Logger.LogInformation("{Model}: accuracy {Accuracy:P2}, macro-F1 {F1:F4}.", key, json["accuracy"]!.GetValue<double>(), json["macro_f1"]!.GetValue<double>());
            report[key] = json;
            var prefix = key == "adapter" ? "" : key + "_";
            context.DeclareMetric(prefix + "accuracy", Math.Round(json["accuracy"]!.GetValue<double>(), 6), MetricDirection.Higher);
            if (key != "base")
            {
                context.DeclareMetric(prefix + "macro_f1", Math.Round(json["macro_f1"]!.GetValue<double>(), 6), MetricDirection.Higher);
            }
        }

        return report;
    }

    // The base model's frozen, mean-pooled, unit-length sentence embeddings and a logistic regression fitted on the
    // training rows (a seeded sample of probe_rows of them when set): how much the pretrained features know already.
    private static async Task AddLinearProbeAsync(JsonObject report, EvalStageOptions options, string baseDir, IModelConfig config, IReadOnlyList<string> labels,
        TableBatch table, TaskColumns columns, Dictionary<string, string?[]> sensitive, TorchSharp.torch.Device device, StageContext context, CancellationToken cancellationToken)
    {
        if (config is not BertConfig)
        {
            throw new UserInputException($"'linear_probe: true' needs a BERT encoder as input 'base_model' (its sentence embeddings are probed); '{baseDir}' holds a {config.ModelType} model.");
        }

        if (!context.HasInput("train"))
        {
            throw new UserInputException("'linear_probe: true' needs input 'train': the rows (text and label columns) the probe's logistic regression is fitted on.");
        }

        var trainTable = await TableColumns.ReadNonEmptyAsync(context, "train", cancellationToken).ConfigureAwait(false);
        var builder = ExampleBuilder.ForModel(baseDir, config, options.MaxLength);
        var train = TaskData.Build(trainTable, "train", columns, builder, labels);
        if (options.ProbeRows > 0 && options.ProbeRows < train.Count)
        {
            var order = Enumerable.Range(0, train.Count).ToArray();
            new Random(unchecked((int)context.Seed)).Shuffle(order); // seeded System.Random: the same sample on every run
            train = order.Take(options.ProbeRows).Order().Select(i => train[i]).ToList();
        }

        var test = TaskData.Build(table, "data", columns, builder, labels);
        using var embedder = SentenceEmbedder.Open(baseDir, device, options.BatchSize);
        var probe = LogisticRegression.Fit(embedder.Embed(train), train.Select(e => e.Label).ToArray(), labels.Count, options.ProbeL2);
        var predicted = probe.Predict(embedder.Embed(test));
        var positive = Positive(options, labels, out var positiveLabel);
        var json = Score(test.Select(e => e.Label).ToArray(), predicted, labels, sensitive, positive, positiveLabel,
            $"linear probe: logistic regression (l2 {options.ProbeL2.ToString(System.Globalization.CultureInfo.InvariantCulture)}) on frozen mean-pooled unit-length embeddings, {train.Count} training rows");
        json["training_rows"] = train.Count;
        report["linear_probe"] = json;
        context.Logger.LogInformation("linear_probe: accuracy {Accuracy:P2}, macro-F1 {F1:F4} ({Rows} training rows, {Iterations} Newton steps).",
            json["accuracy"]!.GetValue<double>(), json["macro_f1"]!.GetValue<double>(), train.Count, probe.Iterations);
        context.DeclareMetric("linear_probe_accuracy", Math.Round(json["accuracy"]!.GetValue<double>(), 6), MetricDirection.Higher);
        context.DeclareMetric("linear_probe_macro_f1", Math.Round(json["macro_f1"]!.GetValue<double>(), 6), MetricDirection.Higher);
    }
}
