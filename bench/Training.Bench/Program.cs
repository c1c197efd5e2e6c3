using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Training.Bench;

// Usage:
//   Training.Bench compare [EMBDxLAYERS ...]   LoRA vs full fine-tuning: trainable share, step time, tokens/s, peak RSS (one child process per run)
//   Training.Bench adult [TRAIN TEST EPOCHS EMBD LAYERS LORA_LR [TARGETS [lora-only]]]  pretrain on Adult text, LoRA vs full income classification, accuracy before/after
//   Training.Bench finetune [LORA_LR [TARGETS]]   pipelines/finetune.yaml's pretrain and train settings on the Adult slice (LoRA only)
//   Training.Bench probe MODEL_DIR VARIANT LR EPOCHS RANK TARGETS   diagnostics on a pretrained adult model (VARIANT lora | lora-frozen-head |
//       head | full | full-linear (TARGETS = regex of trained parameter names) | logreg (LR, EPOCHS = Adam steps; RAW=1: unstandardised);
//       EOS=1 appends end-of-text to every row): pooled-feature spread, norms of the adapters and the head, train/test accuracy
//   Training.Bench step METHOD EMBD LAYERS STEPS BATCH LENGTH [THREADS]   (child process of compare; THREADS default 1, the trainer's)
//   Training.Bench embed [TEXTS [THREADS [BATCH [REPEATS]]]]   embed stage's ONNX Runtime encoder vs the TorchSharp eager BERT, sentences/s
var mode = args.Length > 0 ? args[0] : "all";
var inv = CultureInfo.InvariantCulture;
switch (mode)
{
    case "step":
        var step = StepBenchmark.Run(args[1], int.Parse(args[2], inv), int.Parse(args[3], inv), int.Parse(args[4], inv), int.Parse(args[5], inv), int.Parse(args[6], inv),
            args.Length > 7 ? int.Parse(args[7], inv) : 1);
        Console.WriteLine(step.ToJsonString());
        return 0;
    case "compare":
        Compare(args.Skip(1).ToArray());
        return 0;
    case "adult":
        // The pretrained model is reused when the same size was pretrained before (delete the folder to redo it).
        var work = Path.Combine(Path.GetTempPath(), $"training-bench-adult-{Arg(4, 64)}x{Arg(5, 2)}");
        var adult = await AdultBenchmark.RunAsync(Path.Combine(AppContext.BaseDirectory, "data", "adult-4000.csv"), work,
            trainRows: Arg(1, 2000), testRows: Arg(2, 600), epochs: Arg(3, 2), embd: Arg(4, 64), layers: Arg(5, 2),
            loraLearningRate: args.Length > 6 ? double.Parse(args[6], CultureInfo.InvariantCulture) : 2e-3,
            loraTargets: args.Length > 7 ? args[7].Split(',') : ["c_attn", "c_proj", "c_fc", "wte"], onlyLora: args.Length > 8 && args[8] == "lora-only");
        Console.WriteLine(adult.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    case "finetune":
        var finetune = await FinetuneLikeBenchmark.RunAsync(Path.Combine(AppContext.BaseDirectory, "data", "adult-4000.csv"), Path.Combine(Path.GetTempPath(), "training-bench-finetune"),
            args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2e-3, args.Length > 2 ? args[2].Split(',') : ["c_attn", "wte"]);
        Console.WriteLine(finetune.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    case "embed":
        var embed = await EmbedBenchmark.RunAsync(Path.Combine(AppContext.BaseDirectory, "data", "adult-4000.csv"), Arg(1, 512), Arg(2, 1), Arg(3, 32), Arg(4, 3));
        Console.WriteLine(embed.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    case "probe":
        Probe.Run(args[1], Path.Combine(AppContext.BaseDirectory, "data", "adult-4000.csv"), args[2], double.Parse(args[3], inv), int.Parse(args[4], inv), int.Parse(args[5], inv), args[6]);
        return 0;
    default:
        Console.Error.WriteLine("usage: Training.Bench compare | adult");
        return 2;
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;

static void Compare(string[] only)
{
    // Same model, same synthetic batches, one process per run so that peak memory is per method.
    // Arguments like 256x6 pick sizes; none runs them all.
    var sizes = new (int Embd, int Layers, int Steps, int Batch, int Length)[] { (128, 4, 12, 16, 64), (256, 6, 10, 16, 64), (512, 8, 8, 8, 64) }
        .Where(s => only.Length == 0 || only.Contains(string.Create(CultureInfo.InvariantCulture, $"{s.Embd}x{s.Layers}"))).ToArray();
    Console.WriteLine("| model | method | trainable | share | step ms | tokens/s | peak RSS MB | RSS before training MB |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    foreach (var (embd, layers, steps, batch, length) in sizes)
    {
        var results = new Dictionary<string, JsonNode>();
        foreach (var method in new[] { "full", "lora" })
        {
            var info = new ProcessStartInfo(Environment.ProcessPath!)
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal))
            {
                info.ArgumentList.Add(typeof(StepBenchmark).Assembly.Location);
            }

            foreach (var a in new object[] { "step", method, embd, layers, steps, batch, length })
            {
                info.ArgumentList.Add(Convert.ToString(a, CultureInfo.InvariantCulture)!);
            }

            using var child = Process.Start(info)!;
            var output = child.StandardOutput.ReadToEnd();
            child.WaitForExit();
            var r = JsonNode.Parse(output.Trim().Split('\n')[^1])!;
            results[method] = r;
            var share = r["trainable"]!.GetValue<long>() / (double)r["total"]!.GetValue<long>();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| n_embd {embd}, n_layer {layers} ({r["total"]} params), batch {batch}x{length} | {method} | {r["trainable"]} | {share:P2} | {r["step_ms"]} | {r["tokens_per_s"]} | {r["peak_rss_mb"]} | {r["rss_before_training_mb"]} |"));
        }

        double Ratio(string key) => results["lora"][key]!.GetValue<double>() / results["full"][key]!.GetValue<double>();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| ratio LoRA/full | | | | {Ratio("step_ms"):F2} | {Ratio("tokens_per_s"):F2} | {Ratio("peak_rss_mb"):F2} | |"));
    }
}
