using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>A right-padded micro-batch on the training device.</summary>
internal sealed class TrainingBatch : IDisposable
{
    public const long IgnoreIndex = -100;

    private TrainingBatch(Tensor ids, Tensor mask, Tensor targets, long tokens)
    {
        Ids = ids;
        Mask = mask;
        Targets = targets;
        Tokens = tokens;
    }

    /// <summary>[B, T] token ids, padded with the pad id.</summary>
    public Tensor Ids { get; }

    /// <summary>[B, T] 1 for real tokens, 0 for padding.</summary>
    public Tensor Mask { get; }

    /// <summary>Causal LM: [B, T-1] next-token targets with <see cref="IgnoreIndex"/> where no loss applies. Classification: [B] labels.</summary>
    public Tensor Targets { get; }

    /// <summary>Real (unpadded) tokens in the batch.</summary>
    public long Tokens { get; }

    public static TrainingBatch Create(IReadOnlyList<TrainingExample> rows, int padId, bool classification, Device device)
    {
        var b = rows.Count;
        var t = Math.Max(2, rows.Max(r => r.InputIds.Length));
        var ids = new long[b * t];
        var mask = new long[b * t];
        var targets = classification ? new long[b] : new long[b * (t - 1)];
        long tokens = 0;
        Array.Fill(ids, padId);
        if (!classification)
        {
            Array.Fill(targets, IgnoreIndex);
        }

        for (var r = 0; r < b; r++)
        {
            var row = rows[r];
            tokens += row.InputIds.Length;
            for (var i = 0; i < row.InputIds.Length; i++)
            {
                ids[r * t + i] = row.InputIds[i];
                mask[r * t + i] = 1;
                if (!classification && i > 0 && (row.LossMask is null || row.LossMask[i]))
                {
                    targets[r * (t - 1) + i - 1] = row.InputIds[i];
                }
            }

            if (classification)
            {
                targets[r] = row.Label;
            }
        }

        return new TrainingBatch(
            tensor(ids, [b, t], device: device),
            tensor(mask, [b, t], device: device),
            classification ? tensor(targets, [b], device: device) : tensor(targets, [b, t - 1], device: device),
            tokens);
    }

    public void Dispose()
    {
        Ids.Dispose();
        Mask.Dispose();
        Targets.Dispose();
    }
}
