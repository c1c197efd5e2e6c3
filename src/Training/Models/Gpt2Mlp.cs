using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>GPT-2's feed-forward block: <c>c_fc</c>, GELU, <c>c_proj</c>, dropout.</summary>
public sealed class Gpt2Mlp : Module<Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> c_fc;
    private Module<Tensor, Tensor> c_proj;
    private readonly Module<Tensor, Tensor> dropout;
#pragma warning restore IDE1006
    private readonly bool _tanhGelu;

    /// <summary>Creates the block for <paramref name="config"/>.</summary>
    public Gpt2Mlp(Gpt2Config config) : base(nameof(Gpt2Mlp))
    {
        _tanhGelu = config.Activation != "gelu";
        c_fc = Linear(config.Embedding, config.InnerSize);
        c_proj = Linear(config.InnerSize, config.Embedding);
        dropout = Dropout(config.ResidualDropout);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var h = c_fc.forward(x);
        h = _tanhGelu ? nn.functional.gelu(h, TorchSharp.Modules.GELU.Approximate.tanh) : nn.functional.gelu(h);
        return dropout.forward(c_proj.forward(h));
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        switch (name)
        {
            case "c_fc": c_fc = replacement; break;
            case "c_proj": c_proj = replacement; break;
            default: throw new ArgumentException($"MLP has no linear layer '{name}'.", nameof(name));
        }

        ModuleSlots.Reregister(this, name, replacement);
    }
}
