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
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly LlamaModel model;
    private readonly Linear score;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised classifier with <paramref name="labels"/> classes.</summary>
    /// <exception cref="ArgumentException">Fewer than two labels.</exception>
    public LlamaClassifier(LlamaConfig config, int labels) : base(nameof(LlamaClassifier))
    {
        ArgumentNullException.ThrowIfNull(config);
        LastTokenPooling.EnsureLabels(labels);
        model = new LlamaModel(config);
        score = LastTokenPooling.Head(config.HiddenSize, labels);
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
        return score.forward(LastTokenPooling.Pool(hidden, attentionMask)).MoveToOuterDisposeScope();
    }
}
