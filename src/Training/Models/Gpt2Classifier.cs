using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>
/// GPT-2 with a sequence-classification head (Hugging Face's <c>GPT2ForSequenceClassification</c>):
/// <c>score</c> (no bias) applied to the hidden state of the last non-padding token.
/// </summary>
public sealed class Gpt2Classifier : Module<Tensor, Tensor, Tensor>, ISequenceClassifier
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly Gpt2Transformer transformer;
    private readonly Linear score;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised classifier with <paramref name="labels"/> classes.</summary>
    public Gpt2Classifier(Gpt2Config config, int labels) : base(nameof(Gpt2Classifier))
    {
        LastTokenPooling.EnsureLabels(labels);
        transformer = new Gpt2Transformer(config);
        score = LastTokenPooling.Head(config.Embedding, labels);
        Labels = labels;
        RegisterComponents();
    }

    /// <summary>The body.</summary>
    public Gpt2Transformer Transformer => transformer;

    /// <summary>The classification head [labels, C].</summary>
    public Linear Score => score;

    /// <summary>Number of classes.</summary>
    public int Labels { get; }

    /// <summary>Token ids [B, T] and attention mask [B, T] (1 = token, right-padded: the body attends to every position) to logits [B, labels].</summary>
    public override Tensor forward(Tensor ids, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = transformer.forward(ids);
        return score.forward(LastTokenPooling.Pool(hidden, attentionMask)).MoveToOuterDisposeScope();
    }
}
