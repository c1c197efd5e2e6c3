using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// A frozen embedding plus a trainable low-rank update, as PEFT's <c>lora.Embedding</c>: row i of the table gains
/// scaling · (B·A)ᵀ[i], with A [r, vocabulary] starting at zero and B [width, r] standard normal, so the wrapped
/// layer initially computes exactly what the base did. PEFT applies no dropout to embedding adapters; neither does this.
/// </summary>
public sealed class LoraEmbedding : LoraLayer
{
#pragma warning disable IDE1006 // field names are PEFT's parameter names
    private readonly Embedding base_layer;
    private readonly Parameter lora_embedding_A;
    private readonly Parameter lora_embedding_B;
#pragma warning restore IDE1006

    /// <summary>Wraps <paramref name="baseLayer"/> (which is frozen) with a rank-<paramref name="rank"/> adapter.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rank is not positive.</exception>
    public LoraEmbedding(Embedding baseLayer, int rank, double alpha, bool useRsLora = false) : base(nameof(LoraEmbedding))
    {
        ArgumentNullException.ThrowIfNull(baseLayer);
        if (rank <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"'lora.r' must be at least 1. You entered {rank}.");
        }

        base_layer = baseLayer;
        var weight = baseLayer.weight!;
        Rank = rank;
        Scaling = useRsLora ? alpha / Math.Sqrt(rank) : alpha / rank;
        lora_embedding_A = new Parameter(zeros(rank, weight.shape[0], device: weight.device));
        lora_embedding_B = new Parameter(randn(weight.shape[1], rank, device: weight.device));
        weight.requires_grad = false;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int Rank { get; }

    /// <inheritdoc />
    public override double Scaling { get; }

    /// <summary>The frozen base embedding.</summary>
    public Embedding BaseLayer => base_layer;

    /// <summary>A, shape [r, vocabulary].</summary>
    public override Parameter A => lora_embedding_A;

    /// <summary>B, shape [width, r].</summary>
    public override Parameter B => lora_embedding_B;

    /// <inheritdoc />
    public override string AKey => "lora_embedding_A";

    /// <inheritdoc />
    public override string BKey => "lora_embedding_B";

    /// <inheritdoc />
    public override Tensor forward(Tensor ids)
    {
        var y = base_layer.forward(ids);
        if (Merged)
        {
            return y;
        }

        // Look up the ids' columns of A ([.., r]), then project with Bᵀ: the embedding of (B·A)ᵀ without forming it.
        var shape = ids.shape.Append(Rank).ToArray();
        var afterA = lora_embedding_A.t().index_select(0, ids.reshape(-1)).reshape(shape);
        return y + afterA.matmul(lora_embedding_B.t()).mul(Scaling);
    }

    /// <inheritdoc />
    protected override Parameter BaseWeight => base_layer.weight!;

    /// <inheritdoc />
    protected override Tensor DeltaWeight()
    {
        using var product = lora_embedding_B.matmul(lora_embedding_A);
        using var transposed = product.t();
        return transposed.mul(Scaling);
    }
}
