using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Synthetic.Text.Internal;

/// <summary>One pre-norm transformer block: causal self-attention then a GELU MLP, each with a residual.</summary>
internal sealed class TinyGptBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly int _heads;

    public TinyGptBlock(TinyGptConfig config)
        : base("block")
    {
        _heads = config.Heads;
        int d = config.EmbeddingSize;
        Ln1 = nn.LayerNorm(d);
        Query = nn.Linear(d, d);
        Key = nn.Linear(d, d);
        Value = nn.Linear(d, d);
        Out = nn.Linear(d, d);
        Ln2 = nn.LayerNorm(d);
        Fc = nn.Linear(d, config.FeedForwardSize);
        Proj = nn.Linear(config.FeedForwardSize, d);
        RegisterComponents();
    }

    public LayerNorm Ln1 { get; }

    public Linear Query { get; }

    public Linear Key { get; }

    public Linear Value { get; }

    public Linear Out { get; }

    public LayerNorm Ln2 { get; }

    public Linear Fc { get; }

    public Linear Proj { get; }

    /// <param name="x">[batch, seq, d].</param>
    /// <param name="attentionBias">[batch, 1, seq, seq]: 0 where attention is allowed, a large negative number elsewhere.</param>
    public override Tensor forward(Tensor x, Tensor attentionBias)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], s = x.shape[1], d = x.shape[2], hd = d / _heads;
        var h = Ln1.forward(x);
        var q = Query.forward(h).view(b, s, _heads, hd).transpose(1, 2);
        var k = Key.forward(h).view(b, s, _heads, hd).transpose(1, 2);
        var v = Value.forward(h).view(b, s, _heads, hd).transpose(1, 2);
        var scores = q.matmul(k.transpose(2, 3)).mul(1.0 / Math.Sqrt(hd)).add(attentionBias);
        var attended = nn.functional.softmax(scores, -1).matmul(v).transpose(1, 2).reshape(b, s, d);
        x = x.add(Out.forward(attended));
        var mlp = Proj.forward(nn.functional.gelu(Fc.forward(Ln2.forward(x))));
        return x.add(mlp).MoveToOuterDisposeScope();
    }
}
