using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core;
using Pipelines.Core.Definition;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

[NonParallelizable]
public class TrainingStagesTests
{
    private string _root = null!;
    private string _model = null!;
    private string _clsTrain = null!;
    private string _clsValidation = null!;

    [OneTimeSetUp]
    public async Task PretrainOnce()
    {
        _root = Directory.CreateTempSubdirectory("stages-").FullName;
        var corpus = await StageHarness.WriteTableAsync(Path.Combine(_root, "corpus.parquet"), ("text", TinyCorpus.Sentences(60)));
        var outputs = await StageHarness.RunAsync(new PretrainStage(), SmallPretrain(), Path.Combine(_root, "pretrain"),
            new Dictionary<string, string> { ["corpus"] = corpus });
        _model = outputs["model"];
        _clsTrain = await StageHarness.WriteTableAsync(Path.Combine(_root, "cls_train.parquet"),
            ("text", Enumerable.Range(0, 24).Select(i => $"the {TinyCorpus.Animal(i)}").ToArray()),
            ("label", Enumerable.Range(0, 24).Select(TinyCorpus.Size).ToArray()));
        _clsValidation = await StageHarness.WriteTableAsync(Path.Combine(_root, "cls_val.parquet"),
            ("text", Enumerable.Range(0, 6).Select(i => $"the {TinyCorpus.Animal(i)}").ToArray()),
            ("label", Enumerable.Range(0, 6).Select(TinyCorpus.Size).ToArray()));
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_root, true);

    [Test]
    public void Pretrain_writes_a_hugging_face_model_directory_that_loads_back()
    {
        Assert.That(Directory.GetFiles(_model).Select(Path.GetFileName).Order(),
            Is.SupersetOf(new[] { "config.json", "merges.txt", "model.safetensors", "vocab.json" }));
        var config = ModelDirectory.LoadConfig(_model);
        var tokenizer = ModelDirectory.LoadTokenizer(_model);
        Assert.That(config.VocabSize, Is.EqualTo(tokenizer.VocabularySize));
        Assert.That(((Gpt2Config)config).Embedding, Is.EqualTo(16));
        using var model = ModelDirectory.LoadLanguageModel(_model);
        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(_model, PretrainStage.MetricsFile)))!;
        Assert.That(metrics["steps"]!.GetValue<int>(), Is.EqualTo(12));
        var losses = metrics["train_loss"]!.AsArray().Select(s => s!["loss"]!.GetValue<double>()).ToArray();
        Assert.That(losses[^1], Is.LessThan(losses[0]));
    }

    [Test]
    public async Task Pretraining_twice_with_the_same_seed_writes_byte_identical_model_directories()
    {
        // Downstream fingerprints hash the model directory: wall time or throughput inside it would make every
        // re-execution look like a new model and re-run everything after it.
        var corpus = await StageHarness.WriteTableAsync(Path.Combine(_root, "corpus-again.parquet"), ("text", TinyCorpus.Sentences(60)));
        var again = await StageHarness.RunAsync(new PretrainStage(), SmallPretrain(), Path.Combine(_root, "pretrain-again"),
            new Dictionary<string, string> { ["corpus"] = corpus });
        Assert.That(await Pipelines.Core.Hashing.ContentHasher.ManifestAsync(again["model"]), Is.EqualTo(await Pipelines.Core.Hashing.ContentHasher.ManifestAsync(_model)));
        Assert.That(File.ReadAllText(Path.Combine(_model, PretrainStage.MetricsFile)), Does.Not.Contain("\"seconds\"").And.Not.Contain("tokens_per_second"));
    }

    [Test]
    public async Task Train_with_prompt_and_response_writes_a_peft_adapter_and_metrics()
    {
        var table = await StageHarness.WriteTableAsync(Path.Combine(_root, "pr.parquet"),
            ("prompt", Enumerable.Range(0, 12).Select(i => $"the {TinyCorpus.Animal(i)} is").ToArray()),
            ("response", Enumerable.Range(0, 12).Select(i => $" {TinyCorpus.Size(i)}").ToArray()));
        var options = new TrainStageOptions
        {
            PromptColumn = "prompt", ResponseColumn = "response", MaxSteps = 4, BatchSize = 4, LearningRate = 1e-2,
            Lora = new LoraOptions { Rank = 2, TargetModules = ["c_attn", "c_proj"] },
        };
        var outputs = await StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train-pr"),
            new Dictionary<string, string> { ["train"] = table, ["validation"] = table, ["base_model"] = _model });

        var config = PeftAdapterConfig.Load(Path.Combine(outputs["adapter"], "adapter_config.json"));
        Assert.That(config.TaskType, Is.EqualTo("CAUSAL_LM"));
        Assert.That(config.Lora.Rank, Is.EqualTo(2));
        var metrics = JsonNode.Parse(File.ReadAllText(outputs["metrics"]))!;
        Assert.That(metrics["steps"]!.GetValue<int>(), Is.EqualTo(4));
        Assert.That(metrics["trainable_share"]!.GetValue<double>(), Is.GreaterThan(0).And.LessThan(0.2));
        Assert.That(metrics["val_loss"]!.GetValue<double>(), Is.GreaterThan(0));
        Assert.That(metrics["val_perplexity"]!.GetValue<double>(), Is.EqualTo(Math.Exp(metrics["val_loss"]!.GetValue<double>())).Within(1e-9));
        Assert.That(metrics["tokens_per_second"], Is.Null, "throughput is a measurement: the run log holds it, not the artifact");
        Assert.That(metrics["seconds"], Is.Null);

        using var model = ModelDirectory.LoadLanguageModel(_model);
        PeftAdapter.Load(outputs["adapter"], model);
    }

    [Test]
    public async Task Train_for_classification_saves_the_head_and_labels_and_reports_accuracy()
    {
        var options = new TrainStageOptions
        {
            Task = TrainingTask.Classification, MaxSteps = 6, BatchSize = 8, LearningRate = 2e-2,
            Lora = new LoraOptions { Rank = 2, TargetModules = ["c_attn"] },
        };
        var outputs = await StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train-cls"),
            new Dictionary<string, string> { ["train"] = _clsTrain, ["validation"] = _clsValidation, ["base_model"] = _model });

        Assert.That(File.ReadAllText(Path.Combine(outputs["adapter"], TrainStage.LabelsFile)), Does.Contain("[\"big\",\"small\"]"));
        using var file = SafetensorsFile.Open(Path.Combine(outputs["adapter"], PeftAdapter.WeightsFile));
        Assert.That(file.Info("base_model.model.score.weight").Shape, Is.EqualTo(new long[] { 2, 16 }));
        var metrics = JsonNode.Parse(File.ReadAllText(outputs["metrics"]))!;
        Assert.That(metrics["val_accuracy"]!.GetValue<double>(), Is.InRange(0.0, 1.0));
        Assert.That(metrics["task"]!.GetValue<string>(), Is.EqualTo("classification"));
    }

    [Test]
    public async Task With_merge_the_optional_model_output_is_the_base_with_the_adapter_folded_in()
    {
        var options = new TrainStageOptions
        {
            Task = TrainingTask.Classification, MaxSteps = 6, BatchSize = 8, LearningRate = 2e-2, Merge = true,
            Lora = new LoraOptions { Rank = 2, TargetModules = ["c_attn", "c_fc"] },
        };
        var outputs = await StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train-merge"),
            new Dictionary<string, string> { ["train"] = _clsTrain, ["validation"] = _clsValidation, ["base_model"] = _model });

        string merged = outputs["model"];
        Assert.That(Directory.GetFiles(merged).Select(Path.GetFileName), Is.SupersetOf(new[] { "config.json", "model.safetensors", "vocab.json", "merges.txt", TrainStage.LabelsFile }));
        using (var file = SafetensorsFile.Open(Path.Combine(merged, ModelDirectory.WeightsFile)))
            Assert.That(file.Tensors.Select(t => t.Name), Has.None.Contains("lora_"));

        // The merged directory alone scores like base + adapter.
        using var adapted = ModelDirectory.LoadClassifier(_model, 2);
        PeftAdapter.Load(outputs["adapter"], adapted);
        using var folded = ModelDirectory.LoadClassifier(merged, 2);
        adapted.eval();
        folded.eval();
        using var ids = tensor(new long[] { 5, 9, 14, 3, 7, 2, 11, 4 }, new long[] { 2, 4 });
        using var mask = ones(2, 4, dtype: ScalarType.Bool);
        using var expected = adapted.forward(ids, mask);
        using var actual = folded.forward(ids, mask);
        Assert.That(actual.sub(expected).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(AttentionWeights(merged), Is.Not.EqualTo(AttentionWeights(_model)), "the adapter changed nothing, so the comparison proves nothing");
    }

    private static float[] AttentionWeights(string modelDirectory)
    {
        using var file = SafetensorsFile.Open(Path.Combine(modelDirectory, ModelDirectory.WeightsFile));
        return file.ReadSingles(file.Tensors.Single(t => t.Name.EndsWith("h.0.attn.c_attn.weight", StringComparison.Ordinal)).Name);
    }

    [Test]
    public async Task Without_merge_no_model_output_is_written()
    {
        var options = new TrainStageOptions { Task = TrainingTask.Classification, MaxSteps = 1, BatchSize = 8, Lora = new LoraOptions { Rank = 2 } };
        var outputs = await StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train-nomerge"),
            new Dictionary<string, string> { ["train"] = _clsTrain, ["base_model"] = _model });
        Assert.That(Directory.EnumerateFileSystemEntries(outputs["model"]), Is.Empty);
    }

    [Test]
    public async Task A_lora_classifier_with_an_embedding_adapter_beats_the_majority_and_eval_restores_its_trained_head()
    {
        var options = new TrainStageOptions
        {
            Task = TrainingTask.Classification, MaxSteps = 30, BatchSize = 8, LearningRate = 2e-2, EvalEvery = 30,
            Lora = new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = ["c_attn", "wte"] },
        };
        var outputs = await StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train-cls-wte"),
            new Dictionary<string, string> { ["train"] = _clsTrain, ["validation"] = _clsValidation, ["base_model"] = _model });

        // Validation rows are half "small", half "big": the majority rate is 0.5.
        var trainerAccuracy = JsonNode.Parse(File.ReadAllText(outputs["metrics"]))!["val_accuracy"]!.GetValue<double>();
        Assert.That(trainerAccuracy, Is.GreaterThan(0.5));

        // Inference from the files alone (base + adapter_model.safetensors with the head) predicts what the trainer did.
        using var scorer = ModelScorer.Open(_model, outputs["adapter"], TrainingTask.Classification, CPU);
        var builder = new ExampleBuilder(ModelDirectory.LoadTokenizer(_model), 32);
        var rows = Enumerable.Range(0, 6).Select(i => builder.Classification($"the {TinyCorpus.Animal(i)}", scorer.Labels.ToList().IndexOf(TinyCorpus.Size(i)))).ToList();
        var predicted = scorer.Predict(rows);
        Assert.That(predicted.Zip(rows).Count(p => p.First == p.Second.Label) / 6.0, Is.EqualTo(trainerAccuracy));
    }

    [Test]
    public void A_missing_text_column_is_reported_with_the_columns_that_exist()
    {
        var options = new TrainStageOptions { TextColumn = "body", MaxSteps = 1 };
        var e = Assert.ThrowsAsync<UserInputException>(() => StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "bad-col"),
            new Dictionary<string, string> { ["train"] = _clsTrain, ["base_model"] = _model }));
        Assert.That(e!.Message, Does.Contain("Input 'train' has no column 'body'").And.Contain("Columns: text, label"));
    }

    [Test]
    public async Task An_empty_training_table_is_reported()
    {
        var empty = await StageHarness.WriteTableAsync(Path.Combine(_root, "empty.parquet"), ("text", Array.Empty<string?>()));
        var e = Assert.ThrowsAsync<UserInputException>(() => StageHarness.RunAsync(new TrainStage(), new TrainStageOptions { MaxSteps = 1 }, Path.Combine(_root, "empty"),
            new Dictionary<string, string> { ["train"] = empty, ["base_model"] = _model }));
        Assert.That(e!.Message, Does.Contain("Input 'train' is empty"));
    }

    [Test]
    public void An_unknown_target_module_is_reported_by_the_stage()
    {
        var options = new TrainStageOptions { Task = TrainingTask.Classification, MaxSteps = 1, Lora = new LoraOptions { TargetModules = ["query"] } };
        var e = Assert.ThrowsAsync<ArgumentException>(() => StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "bad-target"),
            new Dictionary<string, string> { ["train"] = _clsTrain, ["base_model"] = _model }));
        Assert.That(e!.Message, Does.Contain("'query' matches no linear or embedding layer"));
    }

    [Test]
    public void Yaml_style_options_bind_with_snake_case_and_a_zero_rank_fails_validation()
    {
        var with = JsonNode.Parse("""{"task": "classification", "label_column": "income", "lora": {"r": 0, "alpha": 32, "target_modules": ["c_attn", "c_fc"], "use_rslora": true}, "learning_rate": 0.001, "batch_size": 8}""")!.AsObject();
        var options = OptionsBinder.Bind<TrainStageOptions>(with);
        Assert.That(options.Task, Is.EqualTo(TrainingTask.Classification));
        Assert.That(options.Lora.TargetModules, Is.EqualTo(new[] { "c_attn", "c_fc" }));
        Assert.That(options.Lora.UseRsLora, Is.True);
        Assert.That(options.BatchSize, Is.EqualTo(8));
        var problems = new TrainStage().Validate(options).ToList();
        Assert.That(problems, Has.Some.EqualTo("'lora.r' must be at least 1. You entered 0."));
    }

    internal static PretrainStageOptions SmallPretrain() => new()
    {
        VocabSize = 300, NEmbd = 16, NLayer = 1, NHead = 2, NPositions = 32, MaxSteps = 12, BatchSize = 16, LearningRate = 1e-2, WarmupSteps = 2, Dropout = 0,
    };
}
