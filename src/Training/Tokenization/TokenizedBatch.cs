using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>A right-padded batch of token ids and its attention mask, row-major [Rows, Columns].</summary>
public sealed record TokenizedBatch(long[] Ids, long[] AttentionMask, int Rows, int Columns)
{
    /// <summary>The ids as a tensor [Rows, Columns].</summary>
    public Tensor IdsTensor() => tensor(Ids, [Rows, Columns]);

    /// <summary>The mask as a tensor [Rows, Columns].</summary>
    public Tensor MaskTensor() => tensor(AttentionMask, [Rows, Columns]);
}
