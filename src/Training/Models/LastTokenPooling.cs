using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>
/// What every sequence classifier here shares, as Hugging Face's <c>*ForSequenceClassification</c>: the hidden
/// state of the last real token is the sequence's summary, and a bias-free <c>score</c> head maps it to the labels.
/// </summary>
internal static class LastTokenPooling
{
    /// <summary>Checks the label count before a classifier allocates its body.</summary>
    /// <exception cref="ArgumentException">Fewer than two labels.</exception>
    public static void EnsureLabels(int labels)
    {
        if (labels < 2)
        {
            throw new ArgumentException($"A classifier needs at least 2 labels. You have {labels}.", nameof(labels));
        }
    }

    /// <summary>A bias-free head [labels, width], initialised N(0, 0.02) as Hugging Face does.</summary>
    public static Linear Head(long width, int labels)
    {
        var head = Linear(width, labels, hasBias: false);
        using (no_grad())
        {
            init.normal_(head.weight!, 0, 0.02);
        }

        return head;
    }

    /// <summary>
    /// Hidden states [B, T, C] at each row's last position the mask marks (1 = token) → [B, C]. The last marked
    /// position, not the count of marks, so padding may sit on either side.
    /// </summary>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var positions = arange(hidden.shape[1], ScalarType.Int64, hidden.device);
        var last = positions.mul(attentionMask.to_type(ScalarType.Int64)).argmax(1);
        var index = last.view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        return hidden.gather(1, index).squeeze(1).MoveToOuterDisposeScope();
    }
}
