using System.Text.Json.Nodes;
using Pipelines.Eval;

namespace Pipelines.Training.Bench;

/// <summary>
/// <c>pipelines/finetune.yaml</c>'s pretrain and train settings (vocabulary 512, n_embd 64, 2 layers, 120 pretraining
/// steps; LoRA for 60 steps, max length 48) on the Adult slice in the example's text template, for the LoRA method only:
/// tells whether the example's LoRA adapter beats the majority class. Rows: train on the first 3,400, test on the last 600.
/// </summary>
internal static class FinetuneLikeBenchmark
{
    public static async Task<JsonObject> RunAsync(string dataPath, string workDir, double learningRate, IReadOnlyList<string> targets)
    {
        var rows = AdultText.Load(dataPath, finetuneTemplate: true);
        var train = rows.Take(rows.Count - 600).ToList();
        var test = rows.Skip(rows.Count - 600).ToList();
        Directory.CreateDirectory(workDir);
        foreach (var stale in Directory.GetDirectories(workDir).Where(d => !d.EndsWith("pretrain", StringComparison.Ordinal)))
        {
            Directory.Delete(stale, true);
        }

        var trainPath = Path.Combine(workDir, "train.parquet");
        var testPath = Path.Combine(workDir, "test.parquet");
        await StageRunner.WriteTableAsync(trainPath, ("text", train.Select(r => r.Text).ToArray()), ("income", train.Select(r => r.Income).ToArray()));
        await StageRunner.WriteTableAsync(testPath, ("text", test.Select(r => r.Text).ToArray()), ("income", test.Select(r => r.Income).ToArray()),
            ("sex", test.Select(r => r.Sex).ToArray()));

        var pretrainDir = Path.Combine(workDir, "pretrain");
        var model = File.Exists(Path.Combine(pretrainDir, "model", "model.safetensors")) ? Path.Combine(pretrainDir, "model") : (await StageRunner.RunAsync(new PretrainStage(), new PretrainStageOptions
        {
            VocabSize = 512, NEmbd = 64, NLayer = 2, NHead = 4, NPositions = 64, MaxSteps = 120, BatchSize = 32, TokensPerBatch = 2048,
        }, pretrainDir, new Dictionary<string, string> { ["corpus"] = trainPath }))["model"];

        var outputs = await StageRunner.RunAsync(new TrainStage(), new TrainStageOptions
        {
            Task = TrainingTask.Classification, LabelColumn = "income", MaxLength = 48, BatchSize = 32, TokensPerBatch = 2048, MaxSteps = 60,
            LearningRate = learningRate, Lora = new LoraOptions { Rank = 8, Alpha = 16, Dropout = 0.05, TargetModules = targets },
        }, Path.Combine(workDir, "train"), new Dictionary<string, string> { ["train"] = trainPath, ["base_model"] = model });
        var report = await StageRunner.RunAsync(new EvalStage(), new EvalStageOptions
        {
            Task = TrainingTask.Classification, LabelColumn = "income", SensitiveColumns = ["sex"], CompareBase = false, MaxLength = 48,
        }, Path.Combine(workDir, "eval"), new Dictionary<string, string> { ["data"] = testPath, ["base_model"] = model, ["adapter"] = outputs["adapter"] });
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(report["report"], "report.json")))!;
        var metrics = JsonNode.Parse(File.ReadAllText(outputs["metrics"]))!;
        return new JsonObject
        {
            ["learning_rate"] = learningRate,
            ["lora_target_modules"] = string.Join(",", targets),
            ["majority_share_test"] = test.GroupBy(r => r.Income).Max(g => g.Count()) / (double)test.Count,
            ["steps"] = metrics["steps"]!.DeepClone(),
            ["trainable_share"] = metrics["trainable_share"]!.DeepClone(),
            ["test_accuracy"] = json["adapter"]!["accuracy"]!.DeepClone(),
            ["test_macro_f1"] = json["adapter"]!["macro_f1"]!.DeepClone(),
        };
    }
}
