using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>One post-LN encoder layer: attention block, then MLP (<c>intermediate</c>, <c>output</c>), each with residual and LayerNorm.</summary>
public sealed class BertLayer : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertResidualOutput output;
#pragma warning restore IDE1006

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public BertLayer(BertConfig config) : base(nameof(BertLayer))
    {
        ArgumentNullException.ThrowIfNull(config);
        attention = new BertAttention(config);
        intermediate = new BertIntermediate(config);
        output = new BertResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, C] and the additive key mask [B, 1, 1, T] to [B, T, C].</summary>
    public override Tensor forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var attended = attention.forward(x, keyMask);
        return output.forward(intermediate.forward(attended), attended).MoveToOuterDisposeScope();
    }
}
