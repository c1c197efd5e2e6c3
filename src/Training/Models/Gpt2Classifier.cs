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
#pragma warning disable IDE1006, SA1300 // field names are the Hugging Face parameter names
    private readonly Gpt2Transformer transformer;
    private readonly Linear score;
#pragma warning restore IDE1006, SA1300

    /// <summary>Creates a randomly initialised classifier with <paramref name="labels"/> classes.</summary>
    public Gpt2Classifier(Gpt2Config config, int labels) : base(nameof(Gpt2Classifier))
    {
        if (labels < 2)
        {
            throw new ArgumentException($"A classifier needs at least 2 labels. You have {labels}.", nameof(labels));
        }

        transformer = new Gpt2Transformer(config);
        score = Linear(config.Embedding, labels, hasBias: false);
        using (no_grad())
        {
            init.normal_(score.weight!, 0, 0.02);
        }

        Labels = labels;
        RegisterComponents();
    }

    /// <summary>The body.</summary>
    public Gpt2Transformer Transformer => transformer;

    /// <summary>The classification head [labels, C].</summary>
    public Linear Score => score;

    /// <summary>Number of classes.</summary>
    public int Labels { get; }

    /// <summary>Token ids [B, T] and attention mask [B, T] (1 = token, right-padded) to logits [B, labels].</summary>
    public override Tensor forward(Tensor ids, Tensor attentionMask)
    {
        var hidden = transformer.forward(ids);
        var last = attentionMask.to_type(ScalarType.Int64).sum(1).sub(1).clamp_min(0);
        var index = last.view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);
        var pooled = hidden.gather(1, index).squeeze(1);
        return score.forward(pooled);
    }
}
