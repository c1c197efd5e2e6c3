using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core;
using Pipelines.Training;

namespace Pipelines.Eval.Tests;

/// <summary><c>eval</c> on a BERT base (all-MiniLM-L6-v2): a PEFT SEQ_CLS adapter, its merged directory, and the linear probe.</summary>
[NonParallelizable]
public class BertEvalStageTests
{
    private static readonly string[] Animals = ["cat", "dog", "bird", "fish", "horse", "mouse"];
    private string _root = null!;
    private string _base = null!;
    private string _data = null!;
    private IReadOnlyDictionary<string, string> _trained = null!;

    private static string Size(int i) => (i % 6) % 2 == 0 ? "small" : "big";

    [OneTimeSetUp]
    public async Task TrainOnce()
    {
        _root = Directory.CreateTempSubdirectory("bert-eval-").FullName;
        _base = (await StageHarness.RunAsync(new ModelStage(), new ModelStageOptions { Source = "package:all-MiniLM-L6-v2" },
            Path.Combine(_root, "model"), new Dictionary<string, string>()))["model"];
        _data = await StageHarness.WriteTableAsync(Path.Combine(_root, "data.parquet"),
            ("text", Enumerable.Range(0, 12).Select(i => $"the {Animals[i % 6]}").ToArray()),
            ("label", Enumerable.Range(0, 12).Select(Size).ToArray()),
            ("sex", Enumerable.Range(0, 12).Select(i => i % 3 == 0 ? "f" : "m").ToArray()));
        _trained = await StageHarness.RunAsync(new TrainStage(), new TrainStageOptions
        {
            Task = TrainingTask.Classification, MaxSteps = 2, BatchSize = 6, MaxLength = 8, LearningRate = 1e-3, Merge = true,
            Lora = new LoraOptions { Rank = 2, Alpha = 4, TargetModules = ["query", "value"] },
        }, Path.Combine(_root, "train"), new Dictionary<string, string> { ["train"] = _data, ["validation"] = _data, ["base_model"] = _base });
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_root, true);

    private async Task<JsonNode> EvalAsync(string name, EvalStageOptions options, Dictionary<string, string> inputs)
    {
        var outputs = await StageHarness.RunAsync(new EvalStage(), options, Path.Combine(_root, name), inputs);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(outputs["report"], "report.json")))!;
    }

    [Test]
    public async Task The_adapter_scores_what_the_trainer_measured_and_the_merged_directory_scores_the_same()
    {
        var options = new EvalStageOptions { Task = TrainingTask.Classification, MaxLength = 8, SensitiveColumns = ["sex"] };
        var withAdapter = await EvalAsync("eval-adapter", options, new() { ["data"] = _data, ["base_model"] = _base, ["adapter"] = _trained["adapter"] });
        var merged = await EvalAsync("eval-merged", options, new() { ["data"] = _data, ["base_model"] = _base, ["adapter"] = _trained["model"] });

        var trained = JsonNode.Parse(File.ReadAllText(_trained["metrics"]))!["val_accuracy"]!.GetValue<double>();
        Assert.That(withAdapter["adapter"]!["accuracy"]!.GetValue<double>(), Is.EqualTo(trained).Within(1e-12));
        Assert.That(merged["adapter"]!["confusion_matrix"]!.ToJsonString(), Is.EqualTo(withAdapter["adapter"]!["confusion_matrix"]!.ToJsonString()));
        Assert.That(withAdapter["base"], Is.Null, "a BERT encoder has no zero-shot mode");
        Assert.That(withAdapter["adapter"]!["groups"]![0]!["groups"]!.AsArray().Sum(g => g!["count"]!.GetValue<int>()), Is.EqualTo(12));
    }

    // Six distinct texts in 384 dimensions are linearly separable, and with a weak penalty the probe's logistic
    // regression fits its training rows exactly: accuracy 1 on those rows.
    [Test]
    public async Task The_linear_probe_on_frozen_embeddings_fits_separable_training_rows_exactly()
    {
        var report = await EvalAsync("eval-probe", new EvalStageOptions { Task = TrainingTask.Classification, MaxLength = 8, LinearProbe = true, ProbeL2 = 1e-4 },
            new() { ["data"] = _data, ["base_model"] = _base, ["adapter"] = _trained["adapter"], ["train"] = _data });
        Assert.That(report["linear_probe"]!["accuracy"]!.GetValue<double>(), Is.EqualTo(1.0));
        Assert.That(report["linear_probe"]!["training_rows"]!.GetValue<int>(), Is.EqualTo(12));
        Assert.That(report["adapter"], Is.Not.Null);
    }

    [Test]
    public async Task The_probe_sample_takes_probe_rows_training_rows()
    {
        var report = await EvalAsync("eval-probe-sample", new EvalStageOptions { Task = TrainingTask.Classification, MaxLength = 8, LinearProbe = true, ProbeRows = 5, CompareBase = false },
            new() { ["data"] = _data, ["base_model"] = _base, ["adapter"] = _trained["adapter"], ["train"] = _data });
        Assert.That(report["linear_probe"]!["training_rows"]!.GetValue<int>(), Is.EqualTo(5));
    }

    [Test]
    public void A_probe_without_training_rows_is_refused_naming_the_input()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => StageHarness.RunAsync(new EvalStage(),
            new EvalStageOptions { Task = TrainingTask.Classification, MaxLength = 8, LinearProbe = true },
            Path.Combine(_root, "eval-no-train"), new Dictionary<string, string> { ["data"] = _data, ["base_model"] = _base, ["adapter"] = _trained["adapter"] }));
        Assert.That(e!.Message, Does.Contain("'linear_probe: true' needs input 'train'"));
    }

    [Test]
    public void A_bert_base_with_neither_adapter_nor_probe_is_refused()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => StageHarness.RunAsync(new EvalStage(),
            new EvalStageOptions { Task = TrainingTask.Classification, MaxLength = 8 },
            Path.Combine(_root, "eval-nothing"), new Dictionary<string, string> { ["data"] = _data, ["base_model"] = _base }));
        Assert.That(e!.Message, Does.Contain("no language-model head"));
    }
}
