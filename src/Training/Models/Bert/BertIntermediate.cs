using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>The first half of BERT's MLP: <c>dense</c> to the intermediate width, then GELU (the exact, erf form).</summary>
public sealed class BertIntermediate : Module<Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> dense;
#pragma warning restore IDE1006

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public BertIntermediate(BertConfig config) : base(nameof(BertIntermediate))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = Linear(config.HiddenSize, config.IntermediateSize);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return functional.gelu(dense.forward(x)).MoveToOuterDisposeScope();
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        if (name != nameof(dense))
        {
            throw new ArgumentException($"Intermediate layer has no linear layer '{name}'.", nameof(name));
        }

        dense = replacement;
        ModuleSlots.Reregister(this, name, replacement);
    }
}
