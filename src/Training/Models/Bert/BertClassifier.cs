using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>
/// BERT with a sequence-classification head (Hugging Face's <c>BertForSequenceClassification</c>): dropout, then
/// <c>classifier</c> (with bias) on the pooler's output. Weight names carry the <c>bert.</c> prefix.
/// </summary>
public sealed class BertClassifier : Module<Tensor, Tensor, Tensor>, ISequenceClassifier
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly BertModel bert;
    private readonly Module<Tensor, Tensor> dropout;
    private readonly Linear classifier;
#pragma warning restore IDE1006

    /// <summary>Creates a randomly initialised classifier with <paramref name="labels"/> classes.</summary>
    /// <exception cref="ArgumentException">Fewer than two labels, or the configuration does not make a model.</exception>
    public BertClassifier(BertConfig config, int labels) : base(nameof(BertClassifier))
    {
        ArgumentNullException.ThrowIfNull(config);
        LastTokenPooling.EnsureLabels(labels);
        bert = new BertModel(config);
        dropout = Dropout(config.HiddenDropout);
        classifier = Linear(config.HiddenSize, labels);
        using (no_grad())
        {
            init.normal_(classifier.weight!, 0, 0.02);
            classifier.bias!.zero_();
        }

        Labels = labels;
        RegisterComponents();
    }

    /// <summary>The body.</summary>
    public BertModel Bert => bert;

    /// <summary>The head [labels, hidden] (HF's <c>classifier</c>), trained beside adapters and saved as a module to save.</summary>
    public Linear Score => classifier;

    /// <inheritdoc />
    public string HeadModule => "classifier";

    /// <inheritdoc />
    public int Labels { get; }

    /// <summary>Token ids [B, T] and attention mask [B, T] (1 = token) to logits [B, labels].</summary>
    public override Tensor forward(Tensor ids, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var hidden = bert.forward(ids, attentionMask);
        return classifier.forward(dropout.forward(bert.Pooler.forward(hidden))).MoveToOuterDisposeScope();
    }
}
