using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>The loss of a batch for either head: next-token cross-entropy or classification cross-entropy.</summary>
internal static class Objective
{
    /// <summary>Cross-entropy of <paramref name="batch"/> with the given reduction (sum: for exact averages over many batches).</summary>
    public static Tensor Loss(nn.Module model, TrainingBatch batch, nn.Reduction reduction) => model switch
    {
        ICausalLanguageModel lm => LanguageModelLoss(lm, batch, reduction),
        ISequenceClassifier classifier => nn.functional.cross_entropy(classifier.forward(batch.Ids, batch.Mask), batch.Targets, reduction: reduction),
        _ => throw new ArgumentException($"Model type {model.GetType().Name} is not supported for training.", nameof(model)),
    };

    /// <summary>Number of loss terms in the batch (targeted tokens, or rows).</summary>
    public static long Terms(nn.Module model, TrainingBatch batch)
    {
        if (model is ISequenceClassifier)
        {
            return batch.Targets.shape[0];
        }

        using var counted = batch.Targets.ne(TrainingBatch.IgnoreIndex).sum();
        return counted.item<long>();
    }

    private static Tensor LanguageModelLoss(ICausalLanguageModel lm, TrainingBatch batch, nn.Reduction reduction)
    {
        var logits = lm.forward(batch.Ids);
        var t = logits.shape[1];
        var shifted = logits.narrow(1, 0, t - 1).reshape(-1, logits.shape[2]);
        return nn.functional.cross_entropy(shifted, batch.Targets.reshape(-1), ignore_index: TrainingBatch.IgnoreIndex, reduction: reduction);
    }
}
