using System.Diagnostics;
using System.Text.Json.Nodes;
using static TorchSharp.torch;

namespace Pipelines.Training.Bench;

/// <summary>
/// One process, one method: times optimiser steps of LoRA or full fine-tuning on a GPT-2 of the given size and reports
/// peak resident memory (VmHWM). Run as a child process per method so that peaks do not mix.
/// </summary>
internal static class StepBenchmark
{
    public static JsonObject Run(string method, int embd, int layers, int steps, int batch, int length, int threads)
    {
        manual_seed(0);
        var config = new Gpt2Config
        {
            VocabSize = 2048, Positions = length, Embedding = embd, Layers = layers, Heads = Math.Max(1, embd / 64),
            ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0, EosTokenId = 2047,
        };
        using var model = new Gpt2LanguageModel(config);
        if (method == "lora")
        {
            LoraInjection.Inject(model, new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0, TargetModules = ["c_attn"] });
        }

        var random = new Random(1);
        var examples = Enumerable.Range(0, batch * 4).Select(_ => new TrainingExample(Enumerable.Range(0, length).Select(_ => random.Next(2047)).ToArray())).ToList();
        var rssBefore = Process.GetCurrentProcess().WorkingSet64;
        var times = new List<double>();
        var rss = new List<double>();
        var clock = Stopwatch.StartNew();
        var trainer = new Trainer(model, new TrainerOptions { LearningRate = 1e-4, MaxSteps = steps, MaxBatchSize = batch, TokensPerBatch = batch * length, Seed = 1, Threads = threads }, CPU, 2047)
        {
            StepCompleted = _ =>
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
                if (Environment.GetEnvironmentVariable("GC_EACH_STEP") == "1")
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }

                rss.Add(Math.Round(Process.GetCurrentProcess().WorkingSet64 / 1048576.0, 1));
                clock.Restart();
            },
        };
        var result = trainer.Train(examples, []);
        var measured = times.Skip(2).Order().ToList();
        var median = measured[measured.Count / 2];
        return new JsonObject
        {
            ["method"] = method,
            ["n_embd"] = embd,
            ["n_layer"] = layers,
            ["trainable"] = result.TrainableParameters,
            ["total"] = result.TotalParameters,
            ["step_ms"] = Math.Round(median, 1),
            ["tokens_per_s"] = Math.Round(batch * length / (median / 1000), 0),
            ["peak_rss_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            ["rss_before_training_mb"] = Math.Round(rssBefore / 1048576.0, 1),
            ["rss_after_each_step_mb"] = new JsonArray(rss.Select(r => (JsonNode?)r).ToArray()),
            // What LibTorch ran with, read back after training (the trainer sets it from TrainerOptions.Threads).
            ["threads"] = get_num_threads(),
        };
    }
}
