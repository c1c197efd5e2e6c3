using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>Causal multi-head self-attention with GPT-2's fused <c>c_attn</c> projection.</summary>
public sealed class Gpt2Attention : Module<Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> c_attn;
    private Module<Tensor, Tensor> c_proj;
    private readonly Module<Tensor, Tensor> attn_dropout;
    private readonly Module<Tensor, Tensor> resid_dropout;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _embedding;

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public Gpt2Attention(Gpt2Config config) : base(nameof(Gpt2Attention))
    {
        _heads = config.Heads;
        _embedding = config.Embedding;
        c_attn = Linear(config.Embedding, 3 * config.Embedding);
        c_proj = Linear(config.Embedding, config.Embedding);
        attn_dropout = Dropout(config.AttentionDropout);
        resid_dropout = Dropout(config.ResidualDropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var b = x.shape[0];
        var t = x.shape[1];
        var headSize = _embedding / _heads;
        var qkv = c_attn.forward(x).split(_embedding, 2);
        var q = qkv[0].view(b, t, _heads, headSize).transpose(1, 2);
        var k = qkv[1].view(b, t, _heads, headSize).transpose(1, 2);
        var v = qkv[2].view(b, t, _heads, headSize).transpose(1, 2);
        var scores = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.Sqrt(headSize));
        using var causal = ones(t, t, ScalarType.Bool, x.device).triu(1);
        var weights = attn_dropout.forward(scores.masked_fill(causal, float.NegativeInfinity).softmax(-1));
        var y = weights.matmul(v).transpose(1, 2).contiguous().view(b, t, _embedding);
        return resid_dropout.forward(c_proj.forward(y));
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        switch (name)
        {
            case "c_attn": c_attn = replacement; break;
            case "c_proj": c_proj = replacement; break;
            default: throw new ArgumentException($"Attention has no linear layer '{name}'.", nameof(name));
        }

        ModuleSlots.Reregister(this, name, replacement);
    }
}
