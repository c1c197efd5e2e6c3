using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core;
using Pipelines.Training;

namespace Pipelines.Eval.Tests;

[NonParallelizable]
public class EvalStageTests
{
    private static readonly string[] Animals = ["cat", "dog", "bird", "fish", "horse", "mouse"];
    private string _root = null!;
    private string _model = null!;
    private string _adapter = null!;
    private string _metrics = null!;
    private string _data = null!;

    [OneTimeSetUp]
    public async Task TrainOnce()
    {
        _root = Directory.CreateTempSubdirectory("eval-").FullName;
        var corpus = await StageHarness.WriteTableAsync(Path.Combine(_root, "corpus.parquet"),
            ("text", Enumerable.Range(0, 48).Select(i => $"the {Animals[i % 6]} is {Size(i)}.").ToArray()));
        _model = (await StageHarness.RunAsync(new PretrainStage(), new PretrainStageOptions
        {
            VocabSize = 280, NEmbd = 16, NLayer = 1, NHead = 2, NPositions = 24, MaxSteps = 8, BatchSize = 16, LearningRate = 1e-2, Dropout = 0,
        }, Path.Combine(_root, "pretrain"), new Dictionary<string, string> { ["corpus"] = corpus }))["model"];
        _data = await StageHarness.WriteTableAsync(Path.Combine(_root, "data.parquet"),
            ("text", Enumerable.Range(0, 18).Select(i => $"the {Animals[i % 6]}").ToArray()),
            ("label", Enumerable.Range(0, 18).Select(Size).ToArray()),
            ("sex", Enumerable.Range(0, 18).Select(i => i % 3 == 0 ? "f" : "m").ToArray()));
        var outputs = await StageHarness.RunAsync(new TrainStage(), new TrainStageOptions
        {
            Task = TrainingTask.Classification, MaxSteps = 6, BatchSize = 8, LearningRate = 2e-2, Lora = new LoraOptions { Rank = 2, TargetModules = ["c_attn"] },
        }, Path.Combine(_root, "train"), new Dictionary<string, string> { ["train"] = _data, ["validation"] = _data, ["base_model"] = _model });
        _adapter = outputs["adapter"];
        _metrics = outputs["metrics"];
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_root, true);

    [Test]
    public async Task Classification_report_agrees_with_the_trainers_validation_accuracy_and_breaks_down_by_group()
    {
        var outputs = await StageHarness.RunAsync(new EvalStage(), new EvalStageOptions { Task = TrainingTask.Classification, SensitiveColumns = ["sex"] },
            Path.Combine(_root, "eval-cls"), new Dictionary<string, string> { ["data"] = _data, ["base_model"] = _model, ["adapter"] = _adapter });
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outputs["report"], "report.json")))!;
        var trained = JsonNode.Parse(File.ReadAllText(_metrics))!["val_accuracy"]!.GetValue<double>();
        Assert.That(report["adapter"]!["accuracy"]!.GetValue<double>(), Is.EqualTo(trained).Within(1e-12));
        Assert.That(report["positive_label"]!.GetValue<string>(), Is.EqualTo("small"));
        Assert.That(report["base"]!["method"]!.GetValue<string>(), Is.EqualTo("zero-shot label likelihood"));
        var matrix = report["adapter"]!["confusion_matrix"]!.AsArray().SelectMany(r => r!.AsArray().Select(v => v!.GetValue<int>())).Sum();
        Assert.That(matrix, Is.EqualTo(18));
        var groups = report["adapter"]!["groups"]![0]!["groups"]!.AsArray();
        Assert.That(groups.Select(g => g!["group"]!.GetValue<string>()), Is.EqualTo(new[] { "f", "m" }));
        Assert.That(groups.Sum(g => g!["count"]!.GetValue<int>()), Is.EqualTo(18));
        var html = File.ReadAllText(Path.Combine(outputs["report"], "report.html"));
        Assert.That(html, Does.Contain("Confusion matrix").And.Contain("equalized odds difference"));
    }

    [Test]
    public async Task Causal_lm_report_gives_perplexity_as_the_exponential_of_loss_for_base_and_adapter()
    {
        var table = await StageHarness.WriteTableAsync(Path.Combine(_root, "lm.parquet"), ("text", Enumerable.Range(0, 6).Select(i => $"the {Animals[i]} is {Size(i)}.").ToArray()));
        var lmAdapter = (await StageHarness.RunAsync(new TrainStage(), new TrainStageOptions { MaxSteps = 3, LearningRate = 1e-2, Lora = new LoraOptions { Rank = 2 } },
            Path.Combine(_root, "train-lm"), new Dictionary<string, string> { ["train"] = table, ["base_model"] = _model }))["adapter"];
        var outputs = await StageHarness.RunAsync(new EvalStage(), new EvalStageOptions(), Path.Combine(_root, "eval-lm"),
            new Dictionary<string, string> { ["data"] = table, ["base_model"] = _model, ["adapter"] = lmAdapter });
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(outputs["report"], "report.json")))!;
        foreach (var model in new[] { "adapter", "base" })
        {
            var loss = report[model]!["loss"]!.GetValue<double>();
            Assert.That(report[model]!["perplexity"]!.GetValue<double>(), Is.EqualTo(Math.Exp(loss)).Within(1e-9));
        }

        Assert.That(report["adapter"]!["loss"]!.GetValue<double>(), Is.Not.EqualTo(report["base"]!["loss"]!.GetValue<double>()));
    }

    [Test]
    public void A_missing_label_column_is_reported_with_the_columns_that_exist()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => StageHarness.RunAsync(new EvalStage(),
            new EvalStageOptions { Task = TrainingTask.Classification, LabelColumn = "income" }, Path.Combine(_root, "eval-bad"),
            new Dictionary<string, string> { ["data"] = _data, ["base_model"] = _model }));
        Assert.That(e!.Message, Does.Contain("no column 'income'").And.Contain("text, label, sex"));
    }

    private static string Size(int i) => (i % 6) % 2 == 0 ? "small" : "big";
}
