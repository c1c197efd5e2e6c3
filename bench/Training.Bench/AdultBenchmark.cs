using System.Diagnostics;
using System.Text.Json.Nodes;
using Pipelines.Eval;

namespace Pipelines.Training.Bench;

/// <summary>
/// Pretrains a small GPT-2 on Adult rows serialised to text, then fine-tunes it to predict income with LoRA and
/// fully, and evaluates both (and the base, zero-shot) on held-out rows, all through the real stages.
/// </summary>
internal static class AdultBenchmark
{
    public static async Task<JsonObject> RunAsync(string dataPath, string workDir, int trainRows, int testRows, int epochs, int embd, int layers, double loraLearningRate, IReadOnlyList<string> loraTargets, bool onlyLora)
    {
        var rows = AdultText.Load(dataPath);
        var train = rows.Take(trainRows).ToList();
        var test = rows.Skip(rows.Count - testRows).ToList();
        Directory.CreateDirectory(workDir);
        foreach (var stale in Directory.GetDirectories(workDir).Where(d => !d.EndsWith("pretrain", StringComparison.Ordinal)))
        {
            Directory.Delete(stale, true);
        }

        var corpusPath = Path.Combine(workDir, "corpus.parquet");
        var trainPath = Path.Combine(workDir, "train.parquet");
        var testPath = Path.Combine(workDir, "test.parquet");
        await StageRunner.WriteTableAsync(corpusPath, ("text", rows.Take(rows.Count - testRows).Select(r => r.Text).ToArray()));
        await StageRunner.WriteTableAsync(trainPath, ("text", train.Select(r => r.Text).ToArray()), ("income", train.Select(r => r.Income).ToArray()));
        await StageRunner.WriteTableAsync(testPath, ("text", test.Select(r => r.Text).ToArray()), ("income", test.Select(r => r.Income).ToArray()),
            ("sex", test.Select(r => r.Sex).ToArray()), ("race", test.Select(r => r.Race).ToArray()));

        var clock = Stopwatch.StartNew();
        var pretrainDir = Path.Combine(workDir, "pretrain");
        var model = File.Exists(Path.Combine(pretrainDir, "model", "model.safetensors")) ? Path.Combine(pretrainDir, "model") : (await StageRunner.RunAsync(new PretrainStage(), new PretrainStageOptions
        {
            VocabSize = 768, NEmbd = embd, NLayer = layers, NHead = Math.Max(1, embd / 32), NPositions = 96, Epochs = 1, BatchSize = 32, LearningRate = 2e-3, WarmupSteps = 20, Dropout = 0.1,
        }, pretrainDir, new Dictionary<string, string> { ["corpus"] = corpusPath }))["model"];
        var pretrainSeconds = clock.Elapsed.TotalSeconds;

        var result = new JsonObject
        {
            ["train_rows"] = train.Count,
            ["test_rows"] = test.Count,
            ["majority_share_test"] = test.GroupBy(r => r.Income).Max(g => g.Count()) / (double)test.Count,
            ["model"] = $"GPT-2 layout, n_embd {embd}, n_layer {layers}, vocab 768, n_positions 96",
            ["lora_target_modules"] = string.Join(",", loraTargets),
            ["pretrain_seconds"] = Math.Round(pretrainSeconds, 1),
            ["pretrain_metrics"] = JsonNode.Parse(File.ReadAllText(Path.Combine(model, PretrainStage.MetricsFile)))!["val_loss"]?.DeepClone(),
        };

        foreach (var method in onlyLora ? [FineTuningMethod.Lora] : new[] { FineTuningMethod.Lora, FineTuningMethod.Full })
        {
            clock.Restart();
            var name = method == FineTuningMethod.Lora ? "lora" : "full";
            var outputs = await StageRunner.RunAsync(new TrainStage(), new TrainStageOptions
            {
                Task = TrainingTask.Classification, LabelColumn = "income", Method = method, Epochs = epochs, BatchSize = 32, MaxLength = 96,
                LearningRate = method == FineTuningMethod.Lora ? loraLearningRate : 5e-4, WarmupSteps = 10,
                Lora = new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0.05, TargetModules = loraTargets },
            }, Path.Combine(workDir, "train-" + name), new Dictionary<string, string> { ["train"] = trainPath, ["base_model"] = model });
            var trainSeconds = clock.Elapsed.TotalSeconds;
            var metrics = JsonNode.Parse(File.ReadAllText(outputs["metrics"]))!;
            var report = await StageRunner.RunAsync(new EvalStage(), new EvalStageOptions
            {
                Task = TrainingTask.Classification, LabelColumn = "income", SensitiveColumns = ["sex"], CompareBase = method == FineTuningMethod.Lora, MaxLength = 96,
            }, Path.Combine(workDir, "eval-" + name), new Dictionary<string, string> { ["data"] = testPath, ["base_model"] = model, ["adapter"] = outputs["adapter"] });
            var json = JsonNode.Parse(File.ReadAllText(Path.Combine(report["report"], "report.json")))!;
            result[name] = new JsonObject
            {
                ["train_seconds"] = Math.Round(trainSeconds, 1),
                ["steps"] = metrics["steps"]!.DeepClone(),
                ["trainable_share"] = metrics["trainable_share"]!.DeepClone(),
                ["tokens_per_second"] = Math.Round(metrics["tokens"]!.GetValue<double>() / trainSeconds, 1), // the stage's wall time, loading included: metrics.json holds no measurements
                ["test_accuracy"] = json["adapter"]!["accuracy"]!.DeepClone(),
                ["test_macro_f1"] = json["adapter"]!["macro_f1"]!.DeepClone(),
                ["equalized_odds_difference_sex"] = json["adapter"]!["groups"]![0]!["equalized_odds_difference"]!.DeepClone(),
            };
            if (json["base"] is JsonObject baseline)
            {
                result["base_zero_shot"] = new JsonObject
                {
                    ["test_accuracy"] = baseline["accuracy"]!.DeepClone(),
                    ["test_macro_f1"] = baseline["macro_f1"]!.DeepClone(),
                };
            }
        }

        return result;
    }
}
