using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Rotary position embeddings as Hugging Face's <c>LlamaRotaryEmbedding</c> (default rope_type) and
/// <c>apply_rotary_pos_emb</c> compute them: frequencies θ^(-2i/d) repeated over both halves of a head,
/// and <c>rotate_half</c> pairing dimension i with i + d/2 (not adjacent pairs).
/// </summary>
public static class LlamaRotary
{
    /// <summary>cos and sin tables [T, headDim] for positions 0..T-1, in float32 like transformers, then cast to <paramref name="dtype"/>.</summary>
    public static (Tensor Cos, Tensor Sin) Tables(int headDim, double theta, long length, Device device, ScalarType dtype)
    {
        using var scope = NewDisposeScope();
        var exponents = arange(0, headDim, 2, ScalarType.Int64, device).to_type(ScalarType.Float32).div(headDim);
        var inverseFrequencies = full_like(exponents, theta).pow(exponents).reciprocal();
        var positions = arange(length, ScalarType.Float32, device);
        var frequencies = outer(positions, inverseFrequencies);
        var angles = cat([frequencies, frequencies], -1);
        var cos = angles.cos().to_type(dtype).MoveToOuterDisposeScope();
        var sin = angles.sin().to_type(dtype).MoveToOuterDisposeScope();
        return (cos, sin);
    }

    /// <summary>x · cos + rotate_half(x) · sin for x [B, H, T, D] and tables [T, D].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        return x.mul(cos).add(RotateHalf(x).mul(sin)).MoveToOuterDisposeScope();
    }

    /// <summary>[x1, x2] → [−x2, x1] over the halves of the last dimension.</summary>
    public static Tensor RotateHalf(Tensor x)
    {
        var half = x.shape[^1] / 2;
        using var x1 = x.narrow(-1, 0, half);
        using var x2 = x.narrow(-1, half, half);
        using var negated = x2.neg();
        return cat([negated, x1], -1);
    }
}
