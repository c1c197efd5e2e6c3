using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Synthetic;

/// <summary>
/// Trains a <see cref="TvaeNetwork"/> with TorchSharp: Gaussian reconstruction loss (learned σ) on
/// numeric normal scores, cross-entropy on one-hot categorical blocks, KL to N(0, I); Adam.
/// Runs single-threaded so that the same seed gives the same weights whatever the machine's core count.
/// </summary>
internal static class TvaeTrainer
{
    /// <summary>Trains the encoder/decoder pair on the encoded rows.</summary>
    /// <param name="data">Row-major [rows, outputDim] training matrix.</param>
    /// <param name="rows">Rows in <paramref name="data"/>.</param>
    /// <param name="outputDim">Decoder outputs per row.</param>
    /// <param name="numericOffsets">Output index of each numeric column.</param>
    /// <param name="categoricalBlocks">(offset, width) of each categorical block.</param>
    /// <param name="targets">Row-major [rows, blocks] category index per categorical block.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="seed">Seeds initial weights, batches and latent noise.</param>
    /// <param name="condition">The one-hot block the decoder also takes as input (conditional VAE), or null.</param>
    public static TvaeNetwork Train(float[] data, int rows, int outputDim, long[] numericOffsets,
        IReadOnlyList<(int Offset, int Width)> categoricalBlocks, long[] targets, TvaeOptions options, long seed,
        (int Offset, int Width)? condition = null)
    {
        // One thread: the network then cannot depend on the core count. Process-wide and not restored, like the
        // trainer's: a restore while another stage trains would change that stage's thread count half-way.
        torch.set_num_threads(1);
        torch.random.manual_seed(seed);
        var network = new TvaeNetwork(outputDim, options.LatentDim, options.HiddenDims, numericOffsets.Length, condition?.Width ?? 0);
        using var optimizer = torch.optim.Adam(network.Parameters(), options.LearningRate, weight_decay: options.WeightDecay);
        using var x = torch.tensor(data, [rows, outputDim]);
        using var numericIndex = torch.tensor(numericOffsets);
        using var categoryTargets = torch.tensor(targets, [rows, Math.Max(1, categoricalBlocks.Count)]);
        double logMin = Math.Log(0.01), logMax = 0.0;
        var order = Enumerable.Range(0, rows).ToArray();
        var shuffle = new SeededRandom(seed, 99);
        int batch = Math.Min(options.BatchSize, rows);
        var batchIndex = new long[batch];
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            for (int i = rows - 1; i > 0; i--)
            {
                int j = shuffle.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }

            // Whole batches only (as TVAE's DataLoader with drop_last), at least one per epoch.
            for (int start = 0; start + batch <= rows; start += batch)
            {
                using var scope = torch.NewDisposeScope();
                for (int k = 0; k < batch; k++)
                {
                    batchIndex[k] = order[start + k];
                }

                var index = torch.tensor(batchIndex);
                var xb = x.index_select(0, index);
                var (mu, logVar) = network.Encode(xb);
                var z = mu + torch.randn_like(mu) * (0.5 * logVar).exp();
                // A conditional decoder also sees the one-hot of the condition column.
                var reconstruction = network.Decode(condition is { } cond ? torch.cat([z, xb.narrow(1, cond.Offset, cond.Width)], 1) : z);
                var loss = torch.zeros(1);
                if (numericOffsets.Length > 0)
                {
                    var sigma = network.LogSigma.exp();
                    var diff = xb.index_select(1, numericIndex) - reconstruction.index_select(1, numericIndex);
                    loss = loss + (diff.pow(2) / (2 * sigma.pow(2))).sum() / batch + sigma.log().sum();
                }

                if (categoricalBlocks.Count > 0)
                {
                    var tb = categoryTargets.index_select(0, index);
                    for (int c = 0; c < categoricalBlocks.Count; c++)
                    {
                        var (offset, width) = categoricalBlocks[c];
                        loss = loss + nn.functional.cross_entropy(reconstruction.narrow(1, offset, width), tb.select(1, c), reduction: nn.Reduction.Sum) / batch;
                    }
                }

                var kl = -0.5 * (1 + logVar - mu.pow(2) - logVar.exp()).sum() / batch;
                var total = options.LossFactor * loss + kl;
                optimizer.zero_grad();
                total.backward();
                optimizer.step();
                using (torch.no_grad())
                {
                    network.LogSigma.clamp_(logMin, logMax);
                }
            }
        }

        return network;
    }
}
