using System.Text.Json;
using FluentValidation;
using Microsoft.Extensions.Logging;
using Pipelines.Core;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// <c>pretrain</c>: trains a byte-level BPE tokenizer and a small GPT-2 from scratch on a text column, and writes a
/// Hugging Face style model directory (config.json, model.safetensors, vocab.json, merges.txt) for <c>train</c>'s
/// <c>base_model</c>.
/// </summary>
public sealed class PretrainStage : Stage<PretrainStageOptions>
{
    /// <summary>Metrics file written beside the model.</summary>
    public const string MetricsFile = "training_metrics.json";

    /// <inheritdoc />
    public override string Kind => "pretrain";

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Inputs { get; } = [new("corpus", ArtifactKind.Table)];

    /// <inheritdoc />
    public override IReadOnlyList<StagePort> Outputs { get; } = [new("model", ArtifactKind.Model)];

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, string> LibraryVersions { get; } = TrainingLibraries.Versions;

    // Built on first use: its rules compile expressions, and a run validates only the kinds its pipeline uses.
    private IValidator<PretrainStageOptions>? _validator;

    /// <inheritdoc />
    protected override IValidator<PretrainStageOptions> Validator => _validator ??= new PretrainStageOptionsValidator();

    /// <inheritdoc />
    protected override async Task RunAsync(StageContext context, PretrainStageOptions options, CancellationToken cancellationToken)
    {
        using var torchLock = await TorchStageLock.EnterAsync(cancellationToken).ConfigureAwait(false); // LibTorch's generator and threads are process-wide
        var device = DeviceResolver.Resolve(context);
        var table = await TableColumns.ReadNonEmptyAsync(context, "corpus", cancellationToken).ConfigureAwait(false);
        var texts = TableColumns.RequiredText(table, options.TextColumn, "corpus", "text_column");
        var output = context.OutputPath("model");

        BpeTrainer.TrainAndSave(texts.Take(options.TokenizerRows), options.VocabSize, output, options.MinFrequency);
        var tokenizer = Gpt2Tokenizer.Load(output);
        var builder = new ExampleBuilder(tokenizer, options.NPositions);
        var every = options.ValidationFraction > 0 && texts.Length >= 20 ? (int)Math.Round(1 / options.ValidationFraction) : 0;
        var train = new List<TrainingExample>();
        var validation = new List<TrainingExample>();
        for (var i = 0; i < texts.Length; i++)
        {
            (every > 0 && i % every == every - 1 ? validation : train).Add(builder.Text(texts[i]));
        }

        manual_seed(context.Seed);
        using nn.Module model = options.Architecture == ModelArchitecture.Llama
            ? new LlamaLanguageModel(options.ToLlamaConfig(tokenizer.VocabularySize, tokenizer.EndOfTextId))
            : new Gpt2LanguageModel(options.ToConfig(tokenizer.VocabularySize, tokenizer.EndOfTextId));
        model.to(device);
        var (_, total) = LoraInjection.CountParameters(model);
        context.Logger.LogInformation("Pretraining a {Parameters}-parameter {Architecture} ({Layers} layers, width {Width}, vocabulary {Vocab}) on {Rows} rows, on {Device}.",
            total, options.Architecture, options.NLayer, options.NEmbd, tokenizer.VocabularySize, train.Count, device.type);

        var trainer = new Trainer(model, options.ToTrainerOptions(context.Seed), device, tokenizer.EndOfTextId, context.Logger)
        {
            Reporter = context.Reporter,
            StepCompleted = s => context.Progress.Report(new StageProgress(s.Step, s.TotalSteps, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"loss {s.Loss:F4}"))),
        };
        var result = trainer.Train(train, validation, cancellationToken);
        ModelDirectory.SaveModel(output, model, output);

        // The model directory is an artifact that downstream fingerprints hash: it keeps only what the seed determines.
        // Wall time, throughput and memory go to the run log instead, or every re-execution would look like a new model.
        var metrics = TrainingMetrics.ToJson(result, new TrainStageOptions { Method = FineTuningMethod.Full }, device.type.ToString().ToLowerInvariant(),
            result.Evaluations.Count > 0 ? result.Evaluations[^1] : null);
        foreach (var (key, value) in TrainingMetrics.Measurements(result))
        {
            context.Summary[key] = value;
        }

        File.WriteAllText(Path.Combine(output, MetricsFile), metrics.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        context.Summary["rows_in"] = texts.Length;
        context.Summary["parameters"] = total;
        context.Summary["steps"] = result.Steps.Count;
        if (result.Evaluations.Count > 0)
        {
            context.DeclareMetric("val_loss", Math.Round(result.Evaluations[^1].Loss, 6), MetricDirection.Lower);
        }
    }
}
