using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>Hugging Face's <c>LlamaRMSNorm</c>: weight · x / √(mean(x²) + ε), computed in float32.</summary>
public sealed class LlamaRmsNorm : Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // field names are the Hugging Face parameter names
    private readonly Parameter weight;
#pragma warning restore IDE1006
    private readonly double _epsilon;

    /// <summary>Creates the norm over the last dimension of width <paramref name="size"/>, weight initialised to ones.</summary>
    public LlamaRmsNorm(int size, double epsilon) : base(nameof(LlamaRmsNorm))
    {
        weight = Parameter(ones(size));
        _epsilon = epsilon;
        RegisterComponents();
    }

    /// <summary>The scale [size].</summary>
    public Parameter Weight => weight;

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var f = x.to_type(ScalarType.Float32);
        var variance = f.pow(2).mean([-1], keepdim: true);
        var normalised = f.mul(rsqrt(variance.add(_epsilon))).to_type(x.dtype);
        return weight.mul(normalised).MoveToOuterDisposeScope();
    }
}
