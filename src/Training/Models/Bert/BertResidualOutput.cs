using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>
/// A post-LN sublayer output (transformers' <c>BertSelfOutput</c> and <c>BertOutput</c>, which differ only in input
/// width): <c>LayerNorm(dropout(dense(x)) + residual)</c>.
/// </summary>
public sealed class BertResidualOutput : Module<Tensor, Tensor, Tensor>, ILinearContainer
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private Module<Tensor, Tensor> dense;
    private readonly TorchSharp.Modules.LayerNorm LayerNorm;
    private readonly Module<Tensor, Tensor> dropout;
#pragma warning restore IDE1006

    /// <summary>Creates the sublayer output projecting <paramref name="inputSize"/> to the hidden size.</summary>
    public BertResidualOutput(BertConfig config, int inputSize) : base(nameof(BertResidualOutput))
    {
        ArgumentNullException.ThrowIfNull(config);
        dense = Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEpsilon);
        dropout = Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>The sublayer's output [B, T, in] and the residual stream [B, T, C] to the new stream [B, T, C].</summary>
    public override Tensor forward(Tensor x, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(dropout.forward(dense.forward(x)) + residual).MoveToOuterDisposeScope();
    }

    void ILinearContainer.ReplaceLinear(string name, Module<Tensor, Tensor> replacement)
    {
        if (name != nameof(dense))
        {
            throw new ArgumentException($"Sublayer output has no linear layer '{name}'.", nameof(name));
        }

        dense = replacement;
        ModuleSlots.Reregister(this, name, replacement);
    }
}
