using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>
/// Llama self-attention: <c>q_proj</c>, <c>k_proj</c>, <c>v_proj</c>, <c>o_proj</c> (nn.Linear, biases when
/// <c>attention_bias</c>), rotary embeddings on q and k, grouped-query attention (each key/value head serves
/// <c>num_attention_heads / num_key_value_heads</c> consecutive query heads, as transformers' <c>repeat_kv</c>).
/// </summary>
public sealed class LlamaAttention : Module<Tensor, Tensor, Tensor, Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> q_proj;
    private Module<Tensor, Tensor> k_proj;
    private Module<Tensor, Tensor> v_proj;
    private Module<Tensor, Tensor> o_proj;
    private readonly Module<Tensor, Tensor> attention_dropout;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _keyValueHeads;
    private readonly int _headSize;

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public LlamaAttention(LlamaConfig config) : base(nameof(LlamaAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.Heads;
        _keyValueHeads = config.KeyValueHeadCount;
        _headSize = config.HeadSize;
        q_proj = Linear(config.HiddenSize, _heads * _headSize, hasBias: config.AttentionBias);
        k_proj = Linear(config.HiddenSize, _keyValueHeads * _headSize, hasBias: config.AttentionBias);
        v_proj = Linear(config.HiddenSize, _keyValueHeads * _headSize, hasBias: config.AttentionBias);
        o_proj = Linear(_heads * _headSize, config.HiddenSize, hasBias: config.AttentionBias);
        attention_dropout = config.AttentionDropout > 0 ? Dropout(config.AttentionDropout) : Identity();
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, C], rotary tables [T, D] and a blocked-pair mask [B or 1, 1, T, T] (true = may not attend) to [B, T, C].</summary>
    public override Tensor forward(Tensor x, Tensor cos, Tensor sin, Tensor blocked)
    {
        using var scope = NewDisposeScope();
        var b = x.shape[0];
        var t = x.shape[1];
        var q = LlamaRotary.Apply(q_proj.forward(x).view(b, t, _heads, _headSize).transpose(1, 2), cos, sin);
        var k = LlamaRotary.Apply(k_proj.forward(x).view(b, t, _keyValueHeads, _headSize).transpose(1, 2), cos, sin);
        var v = v_proj.forward(x).view(b, t, _keyValueHeads, _headSize).transpose(1, 2);
        var groups = _heads / _keyValueHeads;
        if (groups > 1)
        {
            // Query head h reads key/value head h / groups: [kv0, kv0, kv1, kv1] for 2 groups, as repeat_kv does.
            k = k.repeat_interleave(groups, 1);
            v = v.repeat_interleave(groups, 1);
        }

        var scores = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.Sqrt(_headSize)).masked_fill(blocked, float.NegativeInfinity);
        var weights = attention_dropout.forward(scores.softmax(-1, ScalarType.Float32).to_type(q.dtype));
        var y = weights.matmul(v).transpose(1, 2).reshape(b, t, _heads * _headSize);
        return o_proj.forward(y).MoveToOuterDisposeScope();
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        switch (name)
        {
            case "q_proj": q_proj = replacement; break;
            case "k_proj": k_proj = replacement; break;
            case "v_proj": v_proj = replacement; break;
            case "o_proj": o_proj = replacement; break;
            default: throw new ArgumentException($"Attention has no linear layer '{name}'.", nameof(name));
        }

        ModuleSlots.Reregister(this, name, replacement);
    }
}
