using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipelines.Training.Embed;
using static TorchSharp.torch;

namespace Pipelines.Training.Bench;

/// <summary>
/// Sentences per second of the embed stage's encoder (ONNX Runtime on the packaged all-MiniLM-L6-v2 graph) against
/// the TorchSharp eager forward pass of the same model (imported safetensors) with LibTorch mean pooling, at the same
/// thread count, on the same texts in the same length-sorted batches. Each side: one warm-up pass, then the best of
/// <c>repeats</c> timed passes. Also checks both give the same vectors.
/// </summary>
internal static class EmbedBenchmark
{
    public static async Task<JsonObject> RunAsync(string adultCsv, int texts, int threads, int batchSize, int repeats)
    {
        var sentences = AdultText.Load(adultCsv, finetuneTemplate: true).Take(texts).Select(r => r.Text).ToArray();
        var directory = Path.Combine(Path.GetTempPath(), "training-bench-minilm");
        await Packaged.PackagedModels.ImportAsync("all-MiniLM-L6-v2", directory);
        const int maxLength = 128;

        using var encoder = new SentenceEncoder("all-MiniLM-L6-v2", new SentenceEncoderOptions { BatchSize = batchSize, MaxLength = maxLength, Threads = threads });
        float[][] ortVectors = encoder.Encode(sentences);
        double ortSeconds = Best(repeats, () => ortVectors = encoder.Encode(sentences));

        // TorchSharp: same tokenizer, same length-sorted batches as SentenceEncoder forms them.
        set_num_threads(threads);
        var tokenizer = ModelDirectory.LoadBertTokenizer(directory);
        var order = Enumerable.Range(0, sentences.Length).OrderBy(i => tokenizer.Encode(sentences[i], maxLength).Length).ToArray();
        var batches = order.Chunk(batchSize).Select(rows => (Rows: rows, Batch: tokenizer.EncodeBatch(rows.Select(r => sentences[r]).ToArray(), maxLength))).ToArray();
        using var model = ModelDirectory.LoadBert(directory);
        model.eval();
        var torchVectors = new float[sentences.Length][];
        void Torch()
        {
            using var noGrad = no_grad();
            foreach (var (rows, batch) in batches)
            {
                using var scope = NewDisposeScope();
                var ids = batch.IdsTensor();
                var mask = batch.MaskTensor();
                var pooled = MeanPooling.PoolNormalized(model.forward(ids, mask), mask).data<float>().ToArray();
                int width = pooled.Length / rows.Length;
                for (int k = 0; k < rows.Length; k++)
                {
                    torchVectors[rows[k]] = pooled.AsSpan(k * width, width).ToArray();
                }
            }
        }

        Torch();
        double torchSeconds = Best(repeats, Torch);
        double worst = 0;
        for (int i = 0; i < sentences.Length; i++)
        {
            for (int c = 0; c < ortVectors[i].Length; c++)
            {
                worst = Math.Max(worst, Math.Abs(ortVectors[i][c] - torchVectors[i][c]));
            }
        }

        double tokens = batches.Sum(b => b.Batch.AttentionMask.Sum());
        return new JsonObject
        {
            ["texts"] = sentences.Length,
            ["mean_tokens"] = Math.Round(tokens / sentences.Length, 1),
            ["threads"] = threads,
            ["batch_size"] = batchSize,
            ["ort_seconds"] = Math.Round(ortSeconds, 3),
            ["ort_sentences_per_s"] = Math.Round(sentences.Length / ortSeconds, 1),
            ["torchsharp_seconds"] = Math.Round(torchSeconds, 3),
            ["torchsharp_sentences_per_s"] = Math.Round(sentences.Length / torchSeconds, 1),
            ["ort_speedup"] = Math.Round(torchSeconds / ortSeconds, 2),
            ["max_abs_difference"] = worst,
            ["load_average"] = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a",
        };
    }

    private static double Best(int repeats, Action run)
    {
        double best = double.MaxValue;
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return best;
    }
}
