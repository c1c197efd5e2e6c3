using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>
/// Llama with a sequence-classification head (Hugging Face's <c>LlamaForSequenceClassification</c>): <c>score</c>
/// (no bias) applied to the hidden state of the last non-padding token, found as the rightmost position the
/// attention mask marks, so left and right padding pool the same token.
/// </summary>
public sealed class LlamaClassifier : Module<Tensor, Tensor, Tensor>, ISequenceClassifier
{
#pragma warning disable IDE1006, SA1300 // field names are the Hugging Face parameter names
    private readonly LlamaModel model;
    private readonly Linear score;
#pragma warning restore IDE1006, SA1300

    /// <summary>Creates a randomly initialised classifier with <paramref name="labels"/> classes.</summary>
    /// <exception cref="ArgumentException">Fewer than two labels.</exception>
    public LlamaClassifier(LlamaConfig config, int labels) : base(nameof(LlamaClassifier))
    {
        ArgumentNullException.ThrowIfNull(config);
        if (labels < 2)
        {
            throw new ArgumentException($"A classifier needs at least 2 labels. You have {labels}.", nameof(labels));
        }

        model = new LlamaModel(config);
        score = Linear(config.HiddenSize, labels, hasBias: false);
        using (no_grad())
        {
            init.normal_(score.weight!, 0, 0.02);
        }

        Labels = labels;
        RegisterComponents();
    }

    /// <summary>The body.</summary>
    public LlamaModel Model => model;

    /// <inheritdoc />
    public Linear Score => score;

    /// <inheritdoc />
    public int Labels { get; }

    /// <summary>Token ids [B, T] and attention mask [B, T] (1 = token; padding on either side) to logits [B, labels].</summary>
    public override Tensor forward(Tensor ids, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var hidden = model.forward(ids, attentionMask);
        var positions = arange(ids.shape[1], ScalarType.Int64, ids.device);
        var last = positions.mul(attentionMask.to_type(ScalarType.Int64)).argmax(1);
        var index = last.view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        var pooled = hidden.gather(1, index).squeeze(1);
        return score.forward(pooled).MoveToOuterDisposeScope();
    }
}
