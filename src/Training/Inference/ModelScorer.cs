using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Inference for evaluation: a base model from a model directory, optionally with a trained adapter (PEFT LoRA files,
/// or a full model directory from <c>method: full</c>). Gives class predictions or language-model losses. A GPT-2 or
/// Llama base scores both tasks; a BERT encoder scores classification with an adapter (PEFT <c>SEQ_CLS</c>) or as a
/// merged BERT directory, and has no zero-shot mode (it has no language-model head).
/// </summary>
public sealed class ModelScorer : IDisposable
{
    private readonly nn.Module _model;
    private readonly Device _device;
    private readonly int _batchSize;
    private readonly IReadOnlyList<int[]>? _labelTokens;

    private ModelScorer(nn.Module model, Device device, int padId, IReadOnlyList<string> labels, int batchSize, IReadOnlyList<int[]>? labelTokens)
    {
        _model = model;
        _device = device;
        PadId = padId;
        Labels = labels;
        _batchSize = batchSize;
        _labelTokens = labelTokens;
        _model.to(device);
        _model.eval();
    }

    /// <summary>The id batches are padded with (GPT-2's end-of-text, BERT's <c>[PAD]</c>).</summary>
    public int PadId { get; }

    /// <summary>Class labels in id order (empty for causal LM).</summary>
    public IReadOnlyList<string> Labels { get; }

    /// <summary>
    /// Whether classification is zero-shot: no adapter, so each label's text is scored as a continuation of the
    /// row's text by the base language model and the likeliest label wins.
    /// </summary>
    public bool ZeroShot => _labelTokens is not null;

    /// <summary>Opens a scorer. With no <paramref name="adapterDirectory"/>, classification is zero-shot over <paramref name="labels"/>.</summary>
    /// <exception cref="InvalidDataException">A directory lacks its files or they do not fit together.</exception>
    /// <exception cref="ArgumentException">A BERT base is asked for causal LM or for zero-shot classification.</exception>
    public static ModelScorer Open(string baseModelDirectory, string? adapterDirectory, TrainingTask task, Device device,
        IReadOnlyList<string>? labels = null, int batchSize = 32)
    {
        TorchThreads.Use(1); // scores identical on every machine (see TorchThreads)
        if (ModelDirectory.LoadConfig(baseModelDirectory) is BertConfig)
        {
            return OpenBert(baseModelDirectory, adapterDirectory, task, device, batchSize);
        }

        var tokenizer = ModelDirectory.LoadTokenizer(baseModelDirectory);
        var fullModel = adapterDirectory is not null && File.Exists(Path.Combine(adapterDirectory, ModelDirectory.WeightsFile));
        var weightsDirectory = fullModel ? adapterDirectory! : baseModelDirectory;
        if (task == TrainingTask.CausalLm)
        {
            var lm = ModelDirectory.LoadCausalLanguageModel(weightsDirectory);
            if (adapterDirectory is not null && !fullModel)
            {
                PeftAdapter.Load(adapterDirectory, lm);
            }

            return new ModelScorer(lm, device, tokenizer.EndOfTextId, [], batchSize, null);
        }

        if (adapterDirectory is null)
        {
            if (labels is not { Count: >= 2 })
            {
                throw new ArgumentException("Zero-shot classification needs at least two labels.", nameof(labels));
            }

            var tokens = labels.Select(l => tokenizer.Encode(" " + l).ToArray()).ToList();
            return new ModelScorer(ModelDirectory.LoadCausalLanguageModel(baseModelDirectory), device, tokenizer.EndOfTextId, labels, batchSize, tokens);
        }

        return OpenClassifier(weightsDirectory, adapterDirectory, fullModel, tokenizer.EndOfTextId, device, batchSize);
    }

    /// <summary>The class labels a classifier was trained on (<c>labels.json</c> beside its adapter or merged weights).</summary>
    /// <exception cref="InvalidDataException">The directory has no labels file: it was not trained for classification.</exception>
    public static string[] TrainedLabels(string adapterDirectory)
    {
        var labelsPath = Path.Combine(adapterDirectory, TrainStage.LabelsFile);
        if (!File.Exists(labelsPath))
        {
            throw new InvalidDataException($"Adapter directory '{adapterDirectory}' has no {TrainStage.LabelsFile}: it was not trained for classification.");
        }

        return System.Text.Json.JsonSerializer.Deserialize<string[]>(File.ReadAllText(labelsPath))
            ?? throw new InvalidDataException($"'{labelsPath}' is empty.");
    }

    // A BERT encoder: a PEFT SEQ_CLS adapter over the base, or a merged (or fully fine-tuned) BERT directory.
    private static ModelScorer OpenBert(string baseModelDirectory, string? adapterDirectory, TrainingTask task, Device device, int batchSize)
    {
        if (task != TrainingTask.Classification)
        {
            throw new ArgumentException($"Model directory '{baseModelDirectory}' is a BERT encoder: it scores classification only, not {task}.", nameof(task));
        }

        if (adapterDirectory is null)
        {
            throw new ArgumentException($"Model directory '{baseModelDirectory}' is a BERT encoder: it has no language-model head for zero-shot classification, so it needs an adapter (or use a linear probe).", nameof(adapterDirectory));
        }

        var fullModel = File.Exists(Path.Combine(adapterDirectory, ModelDirectory.WeightsFile));
        var padId = BertWordPieceTokenizer.Load(baseModelDirectory).PadId;
        return OpenClassifier(fullModel ? adapterDirectory : baseModelDirectory, adapterDirectory, fullModel, padId, device, batchSize);
    }

    private static ModelScorer OpenClassifier(string weightsDirectory, string adapterDirectory, bool fullModel, int padId, Device device, int batchSize)
    {
        var trained = TrainedLabels(adapterDirectory);
        var classifier = ModelDirectory.LoadSequenceClassifier(weightsDirectory, trained.Length);
        if (!fullModel)
        {
            PeftAdapter.Load(adapterDirectory, classifier);
        }

        return new ModelScorer(classifier, device, padId, trained, batchSize, null);
    }

    /// <summary>Predicted class ids, one per example.</summary>
    public int[] Predict(IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var predictions = new int[examples.Count];
        using var noGrad = no_grad();
        for (var start = 0; start < examples.Count; start += _batchSize)
        {
            var count = Math.Min(_batchSize, examples.Count - start);
            var rows = Enumerable.Range(start, count).Select(i => examples[i]).ToList();
            using var scope = NewDisposeScope();
            if (_labelTokens is null)
            {
                using var batch = TrainingBatch.Create(rows, PadId, classification: true, _device);
                var ids = ((ISequenceClassifier)_model).forward(batch.Ids, batch.Mask).argmax(1).data<long>().ToArray();
                for (var i = 0; i < count; i++)
                {
                    predictions[start + i] = (int)ids[i];
                }
            }
            else
            {
                var best = Enumerable.Repeat(double.PositiveInfinity, count).ToArray();
                for (var label = 0; label < _labelTokens.Count; label++)
                {
                    var continued = rows.Select(r => Continue(r.InputIds, _labelTokens[label])).ToList();
                    using var batch = TrainingBatch.Create(continued, PadId, classification: false, _device);
                    var losses = RowLosses(batch);
                    for (var i = 0; i < count; i++)
                    {
                        if (losses[i] < best[i])
                        {
                            best[i] = losses[i];
                            predictions[start + i] = label;
                        }
                    }
                }
            }
        }

        return predictions;
    }

    /// <summary>Summed next-token loss (nats) and the number of predicted tokens over <paramref name="examples"/>.</summary>
    public (double LossSum, long Tokens) LanguageModelLoss(IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        double sum = 0;
        long tokens = 0;
        using var noGrad = no_grad();
        for (var start = 0; start < examples.Count; start += _batchSize)
        {
            var rows = Enumerable.Range(start, Math.Min(_batchSize, examples.Count - start)).Select(i => examples[i]).ToList();
            using var scope = NewDisposeScope();
            using var batch = TrainingBatch.Create(rows, PadId, classification: false, _device);
            sum += Objective.Loss(_model, batch, nn.Reduction.Sum).item<float>();
            tokens += Objective.Terms(_model, batch);
        }

        return (sum, tokens);
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();

    private static TrainingExample Continue(int[] prompt, int[] label)
    {
        var ids = prompt.Concat(label).ToArray();
        var mask = new bool[ids.Length];
        for (var i = prompt.Length; i < ids.Length; i++)
        {
            mask[i] = true;
        }

        return new TrainingExample(ids, mask);
    }

    private double[] RowLosses(TrainingBatch batch)
    {
        var logits = ((ICausalLanguageModel)_model).forward(batch.Ids);
        var t = logits.shape[1];
        var shifted = logits.narrow(1, 0, t - 1);
        var losses = nn.functional.cross_entropy(shifted.reshape(-1, logits.shape[2]), batch.Targets.reshape(-1),
            ignore_index: TrainingBatch.IgnoreIndex, reduction: nn.Reduction.None).view(batch.Targets.shape);
        return losses.sum(1).to_type(ScalarType.Float64).data<double>().ToArray();
    }
}
