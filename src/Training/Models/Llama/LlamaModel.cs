using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>The Llama body (Hugging Face's <c>LlamaModel</c>): token ids [B, T] to final-normed hidden states [B, T, C].</summary>
public sealed class LlamaModel : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly Embedding embed_tokens;
    private readonly ModuleList<LlamaDecoderLayer> layers;
    private readonly LlamaRmsNorm norm;
#pragma warning restore IDE1006

    /// <summary>Creates the body for <paramref name="config"/> with transformers' initialisation (normal, std 0.02; norms at one).</summary>
    /// <exception cref="ArgumentException">The configuration does not make a model.</exception>
    public LlamaModel(LlamaConfig config) : base(nameof(LlamaModel))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        embed_tokens = Embedding(config.VocabSize, config.HiddenSize);
        layers = new ModuleList<LlamaDecoderLayer>(Enumerable.Range(0, config.Layers).Select(_ => new LlamaDecoderLayer(config)).ToArray());
        norm = new LlamaRmsNorm(config.HiddenSize, config.RmsNormEpsilon);
        RegisterComponents();
        Initialise();
    }

    /// <summary>The configuration.</summary>
    public LlamaConfig Config { get; }

    /// <summary>The token embedding matrix [V, C] (shared with <c>lm_head</c> when embeddings are tied).</summary>
    public Parameter TokenEmbedding => embed_tokens.weight!;

    /// <inheritdoc />
    public override Tensor forward(Tensor ids) => forward(ids, null);

#pragma warning disable IDE1006 // an overload of TorchSharp's forward
    /// <summary>
    /// Token ids [B, T] and an optional attention mask [B, T] (1 = token, 0 = padding, on either side) to hidden states.
    /// Positions are 0..T-1 whatever the padding, as transformers does without position_ids; rotary attention depends
    /// only on relative positions, so left padding leaves the real tokens' states unchanged.
    /// </summary>
    /// <exception cref="ArgumentException">The sequence is longer than <c>max_position_embeddings</c>.</exception>
    public Tensor forward(Tensor ids, Tensor? attentionMask)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var t = ids.shape[1];
        if (t > Config.Positions)
        {
            throw new ArgumentException($"Sequence length {t} exceeds the model's max_position_embeddings ({Config.Positions}).", nameof(ids));
        }

        using var scope = NewDisposeScope();
        var x = embed_tokens.forward(ids);
        var (cos, sin) = LlamaRotary.Tables(Config.HeadSize, Config.RopeTheta, t, ids.device, x.dtype);
        var blocked = BlockedPairs(attentionMask, t, ids.device);
        foreach (var layer in layers)
        {
            x = layer.forward(x, cos, sin, blocked);
        }

        return norm.forward(x).MoveToOuterDisposeScope();
    }
#pragma warning restore IDE1006

    // True where query i may not attend to key j: later keys, and padding keys. A query always sees itself, so a
    // padding row never has every key blocked (that would give NaN, which then leaks through 0 · NaN in later layers).
    private static Tensor BlockedPairs(Tensor? attentionMask, long t, Device device)
    {
        var causal = ones(t, t, ScalarType.Bool, device).triu(1);
        if (attentionMask is null)
        {
            return causal.view(1, 1, t, t);
        }

        var padding = attentionMask.eq(0).view(attentionMask.shape[0], 1, 1, t);
        var self = eye(t, t, ScalarType.Bool, device);
        return causal.view(1, 1, t, t).logical_or(padding).logical_and(self.logical_not());
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
            else if (name.EndsWith("norm.weight", StringComparison.Ordinal))
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
