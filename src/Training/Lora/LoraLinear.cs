using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Pipelines.Training;

/// <summary>
/// A frozen linear layer plus a trainable low-rank update: y = W x + b + scaling · B(A(dropout(x))).
/// A starts Kaiming-uniform and B at zero, so the wrapped layer initially computes exactly what the base did.
/// </summary>
public sealed class LoraLinear : LoraLayer
{
#pragma warning disable IDE1006 // field names are PEFT's parameter names
    private readonly Linear base_layer;
    private readonly Linear lora_A;
    private readonly Linear lora_B;
    private readonly Module<Tensor, Tensor> lora_dropout;
#pragma warning restore IDE1006

    /// <summary>Wraps <paramref name="baseLayer"/> (which is frozen) with a rank-<paramref name="rank"/> adapter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rank is not positive.</exception>
    public LoraLinear(Linear baseLayer, int rank, double alpha, double dropout, bool useRsLora = false) : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        if (rank <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"'lora.r' must be at least 1. You entered {rank}.");
        }

        base_layer = baseLayer;
        InFeatures = baseLayer.weight!.shape[1];
        OutFeatures = baseLayer.weight!.shape[0];
        Rank = rank;
        Scaling = useRsLora ? alpha / Math.Sqrt(rank) : alpha / rank;
        var device = baseLayer.weight!.device;
        lora_A = Linear(InFeatures, rank, hasBias: false, device: device);
        lora_B = Linear(rank, OutFeatures, hasBias: false, device: device);
        lora_dropout = dropout > 0 ? Dropout(dropout) : Identity();
        using (no_grad())
        {
            init.kaiming_uniform_(lora_A.weight!, Math.Sqrt(5));
            lora_B.weight!.zero_();
        }

        foreach (var p in base_layer.parameters())
        {
            p.requires_grad = false;
        }

        RegisterComponents();
    }

    /// <summary>Input width.</summary>
    public long InFeatures { get; }

    /// <summary>Output width.</summary>
    public long OutFeatures { get; }

    /// <inheritdoc />
    public override int Rank { get; }

    /// <inheritdoc />
    public override double Scaling { get; }

    /// <summary>The frozen base layer.</summary>
    public Linear BaseLayer => base_layer;

    /// <summary>A, shape [r, in].</summary>
    public override Parameter A => lora_A.weight!;

    /// <summary>B, shape [out, r].</summary>
    public override Parameter B => lora_B.weight!;

    /// <inheritdoc />
    public override string AKey => "lora_A.weight";

    /// <inheritdoc />
    public override string BKey => "lora_B.weight";

    /// <inheritdoc />
    public override Tensor forward(Tensor x)
    {
        var y = base_layer.forward(x);
        return Merged ? y : y + lora_B.forward(lora_A.forward(lora_dropout.forward(x))).mul(Scaling);
    }

    /// <inheritdoc />
    protected override Parameter BaseWeight => base_layer.weight!;

    /// <inheritdoc />
    protected override Tensor DeltaWeight()
    {
        using var product = B.matmul(A);
        return product.mul(Scaling);
    }
}
