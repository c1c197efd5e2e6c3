using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>BERT's bidirectional multi-head self-attention (<c>query</c>, <c>key</c>, <c>value</c>), with padding keys masked out.</summary>
public sealed class BertSelfAttention : Module<Tensor, Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> query;
    private Module<Tensor, Tensor> key;
    private Module<Tensor, Tensor> value;
    private readonly Module<Tensor, Tensor> dropout;
#pragma warning restore IDE1006
    private readonly int _heads;
    private readonly int _headSize;

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public BertSelfAttention(BertConfig config) : base(nameof(BertSelfAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        _heads = config.Heads;
        _headSize = config.HeadSize;
        query = Linear(config.HiddenSize, config.HiddenSize);
        key = Linear(config.HiddenSize, config.HiddenSize);
        value = Linear(config.HiddenSize, config.HiddenSize);
        dropout = Dropout(config.AttentionDropout);
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, C] and an additive key mask [B, 1, 1, T] (0 = token, very negative = padding) to [B, T, C].</summary>
    public override Tensor forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var b = x.shape[0];
        var t = x.shape[1];
        var q = query.forward(x).view(b, t, _heads, _headSize).transpose(1, 2);
        var k = key.forward(x).view(b, t, _heads, _headSize).transpose(1, 2);
        var v = value.forward(x).view(b, t, _heads, _headSize).transpose(1, 2);
        var scores = q.matmul(k.transpose(-2, -1)).mul(1.0 / Math.Sqrt(_headSize)) + keyMask;
        var weights = dropout.forward(scores.softmax(-1));
        return weights.matmul(v).transpose(1, 2).reshape(b, t, _heads * _headSize).MoveToOuterDisposeScope();
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        switch (name)
        {
            case nameof(query): query = replacement; break;
            case nameof(key): key = replacement; break;
            case nameof(value): value = replacement; break;
            default: throw new ArgumentException($"Self-attention has no linear layer '{name}'.", nameof(name));
        }

        ModuleSlots.Reregister(this, name, replacement);
    }
}
