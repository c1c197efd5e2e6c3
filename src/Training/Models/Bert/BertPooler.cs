using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>BERT's pooler: <c>tanh(dense(h[CLS]))</c>, the sentence vector the classification head reads.</summary>
public sealed class BertPooler : Module<Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> dense;
#pragma warning restore IDE1006

    /// <summary>Creates the pooler for <paramref name="config"/>.</summary>
    public BertPooler(BertConfig config) : base(nameof(BertPooler))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>Hidden states [B, T, C] to pooled [B, C] from the first ([CLS]) position.</summary>
    public override Tensor forward(Tensor hidden)
    {
        using var scope = NewDisposeScope();
        return dense.forward(hidden.select(1, 0)).tanh().MoveToOuterDisposeScope();
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        if (name != nameof(dense))
        {
            throw new ArgumentException($"Pooler has no linear layer '{name}'.", nameof(name));
        }

        dense = replacement;
        ModuleSlots.Reregister(this, name, replacement);
    }
}
