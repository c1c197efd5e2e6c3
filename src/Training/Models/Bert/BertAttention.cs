using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>BERT's attention block: <c>self</c> (the heads) and <c>output</c> (projection, residual, LayerNorm).</summary>
public sealed class BertAttention : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly BertSelfAttention self;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates the block for <paramref name="config"/>.</summary>
    public BertAttention(BertConfig config) : base(nameof(BertAttention))
    {
        ArgumentNullException.ThrowIfNull(config);
        self = new BertSelfAttention(config);
        output = new BertResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, C] and the additive key mask [B, 1, 1, T] to [B, T, C].</summary>
    public override Tensor forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        return output.forward(self.forward(x, keyMask), x).MoveToOuterDisposeScope();
    }
}
