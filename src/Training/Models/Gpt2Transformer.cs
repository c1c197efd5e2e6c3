using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>The GPT-2 body (Hugging Face's <c>GPT2Model</c>): token ids [B, T] to hidden states [B, T, C].</summary>
public sealed class Gpt2Transformer : Module<Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> wte;
    private Module<Tensor, Tensor> wpe;
    private readonly Module<Tensor, Tensor> drop;
    private readonly ModuleList<Gpt2Block> h;
    private readonly LayerNorm ln_f;
#pragma warning restore IDE1006

    /// <summary>Creates the body for <paramref name="config"/> with GPT-2's initialisation (normal, std 0.02).</summary>
    public Gpt2Transformer(Gpt2Config config) : base(nameof(Gpt2Transformer))
    {
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        Config = config;
        wte = Embedding(config.VocabSize, config.Embedding);
        wpe = Embedding(config.Positions, config.Embedding);
        drop = Dropout(config.EmbeddingDropout);
        h = new ModuleList<Gpt2Block>(Enumerable.Range(0, config.Layers).Select(_ => new Gpt2Block(config)).ToArray());
        ln_f = LayerNorm(config.Embedding, config.LayerNormEpsilon);
        RegisterComponents();
        Initialise();
    }

    /// <summary>The configuration.</summary>
    public Gpt2Config Config { get; }

    /// <summary>The token embedding matrix [V, C], shared with the language-model head (a LoRA adapter's base table when wrapped).</summary>
    public Parameter TokenEmbedding => (wte is LoraEmbedding lora ? lora.BaseLayer : (Embedding)wte).weight!;

    /// <inheritdoc />
    public override Tensor forward(Tensor ids)
    {
        var t = ids.shape[1];
        if (t > Config.Positions)
        {
            throw new ArgumentException($"Sequence length {t} exceeds the model's n_positions ({Config.Positions}).", nameof(ids));
        }

        using var positions = arange(t, ScalarType.Int64, ids.device);
        var x = drop.forward(wte.forward(ids) + wpe.forward(positions));
        foreach (var block in h)
        {
            x = block.forward(x);
        }

        return ln_f.forward(x);
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        switch (name)
        {
            case "wte": wte = replacement; break;
            case "wpe": wpe = replacement; break;
            default: throw new ArgumentException($"The transformer has no replaceable layer '{name}'.", nameof(name));
        }

        ModuleSlots.Reregister(this, name, replacement);
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
            else if (name.Contains("ln_", StringComparison.Ordinal))
            {
                p.fill_(1.0);
            }
            else
            {
                // GPT-2 scales residual projections by 1/sqrt(2 * n_layer).
                var std = name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? 0.02 / Math.Sqrt(2.0 * Config.Layers) : 0.02;
                init.normal_(p, 0, std);
            }
        }
    }
}
