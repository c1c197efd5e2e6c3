using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>Llama's SwiGLU feed-forward block: <c>down_proj(silu(gate_proj(x)) · up_proj(x))</c>.</summary>
public sealed class LlamaMlp : Module<Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> gate_proj;
    private Module<Tensor, Tensor> up_proj;
    private Module<Tensor, Tensor> down_proj;
#pragma warning restore IDE1006

    /// <summary>Creates the block for <paramref name="config"/>.</summary>
    public LlamaMlp(LlamaConfig config) : base(nameof(LlamaMlp))
    {
        ArgumentNullException.ThrowIfNull(config);
        gate_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias);
        up_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: config.MlpBias);
        down_proj = Linear(config.IntermediateSize, config.HiddenSize, hasBias: config.MlpBias);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gated = functional.silu(gate_proj.forward(x)).mul(up_proj.forward(x));
        return down_proj.forward(gated).MoveToOuterDisposeScope();
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        switch (name)
        {
            case "gate_proj": gate_proj = replacement; break;
            case "up_proj": up_proj = replacement; break;
            case "down_proj": down_proj = replacement; break;
            default: throw new ArgumentException($"MLP has no linear layer '{name}'.", nameof(name));
        }

        ModuleSlots.Reregister(this, name, replacement);
    }
}
