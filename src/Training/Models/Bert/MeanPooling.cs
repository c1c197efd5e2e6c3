using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Sentence embeddings as sentence-transformers makes them for all-MiniLM-L6-v2: the mean of the token states the
/// attention mask marks, then (optionally) scaled to unit length so a dot product is the cosine.
/// </summary>
public static class MeanPooling
{
    /// <summary>Hidden states [B, T, C] and attention mask [B, T] (1 = token) to the masked mean [B, C].</summary>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(attentionMask);
        using var scope = NewDisposeScope();
        var mask = attentionMask.to_type(hidden.dtype).unsqueeze(-1);
        var sum = hidden.mul(mask).sum(1);
        return sum.div(mask.sum(1).clamp_min(1e-9)).MoveToOuterDisposeScope();
    }

    /// <summary>The masked mean, L2-normalised per row (sentence-transformers' <c>Normalize</c> module).</summary>
    public static Tensor PoolNormalized(Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        return nn.functional.normalize(Pool(hidden, attentionMask), p: 2, dim: 1).MoveToOuterDisposeScope();
    }
}
