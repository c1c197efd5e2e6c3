using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// <c>train</c>: fine-tunes a GPT-2 or Llama base model (or, for classification, a BERT encoder) on a table, with LoRA (PEFT adapter files out) or fully
/// (a whole model directory out), and writes the loss curves and key figures as JSON.
/// </summary>
public sealed class TrainStage : Stage<TrainStageOptions>
{
    /// <summary>File in the adapter directory listing the class labels in id order (classification).</summary>
    public const string LabelsFile = "labels.json";

    /// <inheritdoc />
    public override string Kind => "train";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } =
    [
        new("train", ArtifactKind.Table),
        new("validation", ArtifactKind.Table, Required: false),
        new("base_model", ArtifactKind.Model),
    ];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } =
    [
        new("adapter", ArtifactKind.Model),
        new("metrics", ArtifactKind.File, Extension: ".json"),
        new("model", ArtifactKind.Model, Required: false),
    ];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> LibraryVersions { get; } = TrainingLibraries.Versions;

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<TrainStageOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<TrainStageOptions> Validator => _validator ??= new TrainStageOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, TrainStageOptions options, CancellationToken cancellationToken)
    {
        using var torchLock = await TorchStageLock.EnterAsync(cancellationToken).ConfigureAwait(false); // LibTorch's generator and threads are process-wide
        var device = DeviceResolver.Resolve(context);
        var baseDir = context.InputPath("base_model");
        var config = ModelDirectory.LoadConfig(baseDir);
        if (config is BertConfig && options.Task != TrainingTask.Classification)
        {
            throw new UserInputException($"Input 'base_model' is a BERT encoder ({baseDir}): 'task' must be classification, not causal_lm.");
        }

        var builder = ExampleBuilder.ForModel(baseDir, config, options.MaxLength);
        var columns = new TaskColumns(options.Task, options.TextColumn, options.PromptColumn, options.ResponseColumn, options.LabelColumn);

        var trainTable = await TableColumns.ReadNonEmptyAsync(context, "train", cancellationToken).ConfigureAwait(false);
        var labels = options.Task == TrainingTask.Classification ? TaskData.Labels(trainTable, options.LabelColumn, "train") : null;
        var train = TaskData.Build(trainTable, "train", columns, builder, labels);
        var validation = context.HasInput("validation")
            ? TaskData.Build(await TableColumns.ReadNonEmptyAsync(context, "validation", cancellationToken).ConfigureAwait(false), "validation", columns, builder, labels)
            : [];

        manual_seed(context.Seed);
        using var model = labels is null ? ModelDirectory.LoadCausalLanguageModel(baseDir, config) : ModelDirectory.LoadSequenceClassifier(baseDir, labels.Count, config);
        IReadOnlyList<(string Path, LoraLayer Layer)> adapters = [];
        var modulesToSave = new List<string>();
        if (options.Method == FineTuningMethod.Lora)
        {
            adapters = LoraInjection.Inject(model, options.Lora);
            if (model is ISequenceClassifier classifier && options.TrainHead)
            {
                foreach (var p in classifier.Score.parameters())
                {
                    p.requires_grad = true; // BERT's head has a bias too; it is saved and trained with the weight
                }

                modulesToSave.Add(classifier.HeadModule);
            }
        }

        model.to(device);
        var (trainable, total) = LoraInjection.CountParameters(model);
        // In a search the tune stage prints one line per trial instead; this one stays in debug output.
        context.Logger.Log(context.Reporter is null ? LogLevel.Information : LogLevel.Debug,
            "Training {Method} on {Device}: {Trainable} of {Total} parameters trainable ({Share:P3}), {Rows} training rows.",
            options.Method, device.type, trainable, total, (double)trainable / total, train.Count);

        var trainerOptions = options.ToTrainerOptions(context.Seed);
        var trainer = new Trainer(model, trainerOptions, device, builder.PadId, context.Logger)
        {
            Reporter = context.Reporter,
            EvaluationLogLevel = context.Reporter is null ? LogLevel.Information : LogLevel.Debug,
            // A trial's steps would overwrite the search's trial counter, which shares the progress line.
            StepCompleted = context.Reporter is not null ? null : s => context.Progress.Report(new StageProgress(s.Step, s.TotalSteps, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"loss {s.Loss:F4}"))),
        };
        var result = trainer.Train(train, validation, cancellationToken);
        var final = validation.Count > 0 ? trainer.Evaluate(validation, result.Steps.Count) : (EvaluationPoint?)null;

        var adapterDir = context.OutputPath("adapter");
        if (options.Method == FineTuningMethod.Lora)
        {
            PeftAdapter.Save(adapterDir, model, adapters, new PeftAdapterConfig
            {
                Lora = options.Lora,
                TaskType = labels is null ? "CAUSAL_LM" : "SEQ_CLS",
                BaseModel = Path.GetFileName(Path.TrimEndingDirectorySeparator(baseDir)),
                ModulesToSave = modulesToSave,
                FanInFanOut = config is Gpt2Config,
            });
        }
        else
        {
            ModelDirectory.SaveModel(adapterDir, model, baseDir);
        }

        WriteLabels(adapterDir, labels);

        if (options.Merge)
        {
            WriteMergedModel(context.OutputPath("model"), model, adapters, baseDir, labels);
        }

        var metrics = TrainingMetrics.ToJson(result, options, device.type.ToString().ToLowerInvariant(), final);
        File.WriteAllText(context.OutputPath("metrics"), metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        context.Summary["rows_in"] = train.Count;
        if (result.Steps.Count > 0)
        {
            context.DeclareMetric("final_loss", Math.Round(result.Steps[^1].Loss, 6), MetricDirection.Lower);
        }
        context.Summary["steps"] = result.Steps.Count;
        context.Summary["trainable_parameters"] = trainable;
        context.Summary["trainable_share"] = Math.Round((double)trainable / total, 6);
        foreach (var (key, value) in TrainingMetrics.Measurements(result))
        {
            context.Summary[key] = value; // the run log, not the metrics artifact: a re-execution must hash the same
        }
        if (final is { } f)
        {
            context.DeclareMetric("val_loss", Math.Round(f.Loss, 6), MetricDirection.Lower);
            if (f.Accuracy is { } accuracy)
            {
                context.DeclareMetric("val_accuracy", Math.Round(accuracy, 6), MetricDirection.Higher);
            }
        }
    }

    /// <summary>The trained model as a plain model directory: adapters folded in (<see cref="LoraLayer.Merge"/>), saved under the base names.</summary>
    private static void WriteMergedModel(string directory, nn.Module model, IReadOnlyList<(string Path, LoraLayer Layer)> adapters, string baseDir, IReadOnlyList<string>? labels)
    {
        foreach (var (_, layer) in adapters)
        {
            layer.Merge();
        }

        ModelDirectory.SaveModel(directory, model, baseDir);
        WriteLabels(directory, labels);
    }

    /// <summary>Classification: the label values in class-id order, beside the weights that predict them.</summary>
    private static void WriteLabels(string directory, IReadOnlyList<string>? labels)
    {
        if (labels is not null)
        {
            File.WriteAllText(Path.Combine(directory, LabelsFile), JsonSerializer.Serialize(labels) + "\n");
        }
    }
}
