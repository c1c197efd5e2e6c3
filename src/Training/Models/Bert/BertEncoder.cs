using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>The stack of encoder layers (<c>encoder.layer.N</c>).</summary>
public sealed class BertEncoder : Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly ModuleList<BertLayer> layer;
#pragma warning restore IDE1006

    /// <summary>Creates the stack for <paramref name="config"/>.</summary>
    public BertEncoder(BertConfig config) : base(nameof(BertEncoder))
    {
        ArgumentNullException.ThrowIfNull(config);
        layer = new ModuleList<BertLayer>(Enumerable.Range(0, config.Layers).Select(_ => new BertLayer(config)).ToArray());
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, C] and the additive key mask [B, 1, 1, T] to [B, T, C].</summary>
    public override Tensor forward(Tensor x, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        foreach (var l in layer)
        {
            x = l.forward(x, keyMask);
        }

        return x.MoveToOuterDisposeScope();
    }
}
