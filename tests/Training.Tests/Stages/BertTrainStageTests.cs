using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

/// <summary>The <c>model</c> stage imports all-MiniLM-L6-v2 and <c>train</c> fine-tunes it as a classifier with LoRA.</summary>
[NonParallelizable]
public class BertTrainStageTests
{
    private string _root = null!;
    private string _base = null!;
    private string _train = null!;

    [OneTimeSetUp]
    public async Task ImportOnce()
    {
        _root = Directory.CreateTempSubdirectory("bert-stages-").FullName;
        var outputs = await StageHarness.RunAsync(new ModelStage(), new ModelStageOptions { Source = "package:all-MiniLM-L6-v2" },
            Path.Combine(_root, "model"), new Dictionary<string, string>());
        _base = outputs["model"];
        _train = await StageHarness.WriteTableAsync(Path.Combine(_root, "train.parquet"),
            ("text", Enumerable.Range(0, 16).Select(i => $"the {TinyCorpus.Animal(i)}").ToArray()),
            ("label", Enumerable.Range(0, 16).Select(TinyCorpus.Size).ToArray()));
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_root, true);

    [Test]
    public void The_model_stage_writes_a_bert_directory_from_the_package()
    {
        Assert.That(ModelDirectory.LoadConfig(_base), Is.EqualTo(BertConfig.MiniLmL6));
        Assert.That(Directory.GetFiles(_base).Select(Path.GetFileName),
            Is.SupersetOf(new[] { "config.json", "model.safetensors", "vocab.txt", "tokenizer_config.json" }));
    }

    [Test]
    public void The_model_stage_refuses_an_unknown_source_naming_the_known_ones()
    {
        var problems = new ModelStage().Validate(new ModelStageOptions { Source = "package:gpt-5" }).ToList();
        Assert.That(problems, Has.Some.EqualTo("'source' must be one of package:all-MiniLM-L6-v2, package:snowflake-arctic-embed-xs. You entered 'package:gpt-5'."));
    }

    [Test]
    public async Task Train_fine_tunes_MiniLM_with_lora_and_writes_a_peft_seq_cls_adapter_and_a_merged_bert_directory()
    {
        var options = new TrainStageOptions
        {
            Task = TrainingTask.Classification, MaxSteps = 2, BatchSize = 8, MaxLength = 16, LearningRate = 1e-3, Merge = true,
            Lora = new LoraOptions { Rank = 2, Alpha = 4, TargetModules = ["query", "value"] },
        };
        var outputs = await StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train"),
            new Dictionary<string, string> { ["train"] = _train, ["base_model"] = _base });

        var adapter = outputs["adapter"];
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, PeftAdapter.ConfigFile)))!.AsObject();
        Assert.That(json["task_type"]!.GetValue<string>(), Is.EqualTo("SEQ_CLS"));
        Assert.That(json["fan_in_fan_out"]!.GetValue<bool>(), Is.False);
        Assert.That(json["modules_to_save"]!.AsArray().Select(m => m!.GetValue<string>()), Is.EqualTo(new[] { "classifier" }));
        using (var file = SafetensorsFile.Open(Path.Combine(adapter, PeftAdapter.WeightsFile)))
        {
            var expected = Enumerable.Range(0, 6)
                .SelectMany(i => new[] { "query", "value" }.SelectMany(m => new[] { "lora_A", "lora_B" }.Select(ab => $"base_model.model.bert.encoder.layer.{i}.attention.self.{m}.{ab}.weight")))
                .Concat(["base_model.model.classifier.weight", "base_model.model.classifier.bias"]);
            Assert.That(file.Tensors.Select(t => t.Name), Is.EquivalentTo(expected));
        }

        using var merged = (BertClassifier)ModelDirectory.LoadSequenceClassifier(outputs["model"], labels: 2);
        Assert.That(File.Exists(Path.Combine(outputs["model"], "vocab.txt")), Is.True);
        Assert.That(JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, TrainStage.LabelsFile)))!.AsArray().Select(l => l!.GetValue<string>()), Is.EqualTo(new[] { "big", "small" }));
    }

    [Test]
    public void Train_refuses_causal_lm_on_a_bert_encoder()
    {
        var options = new TrainStageOptions { Task = TrainingTask.CausalLm, MaxSteps = 1, Lora = new LoraOptions { TargetModules = ["query"] } };
        var e = Assert.ThrowsAsync<UserInputException>(() => StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train-lm"),
            new Dictionary<string, string> { ["train"] = _train, ["base_model"] = _base }));
        Assert.That(e!.Message, Does.Contain("'task' must be classification"));
    }
}
