using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>The BERT body (Hugging Face's <c>BertModel</c>): token ids [B, T] to last hidden states [B, T, C], plus the pooler.</summary>
public sealed class BertModel : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly BertEmbeddings embeddings;
    private readonly BertEncoder encoder;
    private readonly BertPooler pooler;
#pragma warning restore IDE1006

    /// <summary>Creates the body for <paramref name="config"/> with transformers' initialisation (normal, std 0.02; norms at one, biases zero).</summary>
    /// <exception cref="ArgumentException">The configuration does not make a model.</exception>
    public BertModel(BertConfig config) : base(nameof(BertModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        embeddings = new BertEmbeddings(config);
        encoder = new BertEncoder(config);
        pooler = new BertPooler(config);
        RegisterComponents();
        Initialise();
    }

    /// <summary>The configuration.</summary>
    public BertConfig Config { get; }

    /// <summary>The pooler (<c>tanh(dense(h[CLS]))</c>).</summary>
    public BertPooler Pooler => pooler;

    /// <summary>Token ids [B, T] and attention mask [B, T] (1 = token, 0 = padding) to last hidden states [B, T, C]; token types all 0.</summary>
    public override Tensor forward(Tensor ids, Tensor attentionMask) => forward(ids, attentionMask, null);

#pragma warning disable IDE1006 // an overload of TorchSharp's forward
    /// <summary>Token ids, attention mask and optional token type ids (default all 0), each [B, T], to last hidden states [B, T, C].</summary>
    /// <exception cref="ArgumentException">The sequence is longer than <c>max_position_embeddings</c>.</exception>
    public Tensor forward(Tensor ids, Tensor attentionMask, Tensor? tokenTypeIds)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(attentionMask);
        if (ids.shape[1] > Config.Positions)
        {
            throw new ArgumentException($"Sequence length {ids.shape[1]} exceeds the model's max_position_embeddings ({Config.Positions}).", nameof(ids));
        }

        using var scope = NewDisposeScope();
        var x = embeddings.forward(ids, tokenTypeIds ?? zeros_like(ids));
        return encoder.forward(x, KeyMask(attentionMask, x.dtype)).MoveToOuterDisposeScope();
    }
#pragma warning restore IDE1006

    // Additive, as transformers' extended attention mask: 0 for tokens, the dtype's minimum for padding keys. A
    // finite minimum, not -inf, so an all-padding row softmaxes to uniform instead of NaN.
    private static Tensor KeyMask(Tensor attentionMask, ScalarType dtype)
    {
        var padding = attentionMask.eq(0).view(attentionMask.shape[0], 1, 1, attentionMask.shape[1]);
        return zeros(padding.shape, dtype, attentionMask.device).masked_fill(padding, float.MinValue);
    }

    private void Initialise()
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith(".bias", StringComparison.Ordinal))
            {
                p.zero_();
            }
            else if (name.EndsWith("LayerNorm.weight", StringComparison.Ordinal))
            {
                p.fill_(1.0);
            }
            else
            {
                init.normal_(p, 0, 0.02);
            }
        }
    }
}
