using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Definition;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

/// <summary>The <c>train</c> stage and the scorer on a Llama base model directory (config.json with model_type llama + our BPE tokenizer files).</summary>
[NonParallelizable]
public class LlamaTrainStageTests
{
    private string _root = null!;
    private string _base = null!;
    private string _clsTrain = null!;
    private string _clsValidation = null!;

    [OneTimeSetUp]
    public async Task WriteLlamaBaseModel()
    {
        _root = Directory.CreateTempSubdirectory("llama-stages-").FullName;
        _base = Path.Combine(_root, "base");
        BpeTrainer.TrainAndSave(TinyCorpus.Sentences(60), 300, _base);
        var tokenizer = Gpt2Tokenizer.Load(_base);
        manual_seed(17);
        using (var model = new LlamaLanguageModel(TinyLlama.Config() with { VocabSize = tokenizer.VocabularySize, Positions = 64, EosTokenId = tokenizer.EndOfTextId }))
        {
            ModelDirectory.SaveModel(_base, model, _base);
        }

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
    public async Task Train_on_a_llama_base_writes_a_peft_adapter_in_linear_layout_that_the_scorer_reproduces()
    {
        var options = new TrainStageOptions
        {
            Task = TrainingTask.Classification, MaxSteps = 6, BatchSize = 8, LearningRate = 2e-2,
            Lora = new LoraOptions { Rank = 2, TargetModules = ["q_proj", "v_proj"] },
        };
        var outputs = await StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train-cls"),
            new Dictionary<string, string> { ["train"] = _clsTrain, ["validation"] = _clsValidation, ["base_model"] = _base });

        var adapter = outputs["adapter"];
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(adapter, PeftAdapter.ConfigFile)))!.AsObject();
        Assert.That(json["fan_in_fan_out"]!.GetValue<bool>(), Is.False);
        Assert.That(json["task_type"]!.GetValue<string>(), Is.EqualTo("SEQ_CLS"));
        using (var file = SafetensorsFile.Open(Path.Combine(adapter, PeftAdapter.WeightsFile)))
        {
            Assert.That(file.Tensors.Select(t => t.Name), Is.EquivalentTo(new[]
            {
                "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight", "base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight",
                "base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight", "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight",
                "base_model.model.model.layers.1.self_attn.q_proj.lora_A.weight", "base_model.model.model.layers.1.self_attn.q_proj.lora_B.weight",
                "base_model.model.model.layers.1.self_attn.v_proj.lora_A.weight", "base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight",
                "base_model.model.score.weight",
            }));
        }

        // The scorer rebuilds base + adapter from the files and must agree with the accuracy the trainer measured.
        var metrics = JsonNode.Parse(File.ReadAllText(outputs["metrics"]))!;
        var tokenizer = ModelDirectory.LoadTokenizer(_base);
        var builder = new ExampleBuilder(tokenizer, 64);
        var validation = Enumerable.Range(0, 6).Select(i => builder.Classification($"the {TinyCorpus.Animal(i)}", TinyCorpus.Size(i) == "big" ? 0 : 1)).ToList();
        using var scorer = ModelScorer.Open(_base, adapter, TrainingTask.Classification, CPU);
        Assert.That(scorer.Labels, Is.EqualTo(new[] { "big", "small" }));
        var predictions = scorer.Predict(validation);
        var accuracy = (double)predictions.Where((p, i) => p == validation[i].Label).Count() / validation.Count;
        Assert.That(accuracy, Is.EqualTo(metrics["val_accuracy"]!.GetValue<double>()).Within(1e-9));
    }

    [Test]
    public async Task Full_fine_tuning_of_a_llama_base_writes_a_llama_model_directory_that_loads_and_scores()
    {
        var table = await StageHarness.WriteTableAsync(Path.Combine(_root, "lm.parquet"), ("text", TinyCorpus.Sentences(12)));
        var options = new TrainStageOptions { Method = FineTuningMethod.Full, MaxSteps = 2, BatchSize = 4, LearningRate = 1e-2 };
        var outputs = await StageHarness.RunAsync(new TrainStage(), options, Path.Combine(_root, "train-full"),
            new Dictionary<string, string> { ["train"] = table, ["base_model"] = _base });

        var full = outputs["adapter"];
        Assert.That(ModelDirectory.LoadConfig(full), Is.EqualTo(ModelDirectory.LoadConfig(_base)));
        Assert.That(File.Exists(Path.Combine(full, "vocab.json")) && File.Exists(Path.Combine(full, "merges.txt")), Is.True);
        using var tuned = (LlamaLanguageModel)ModelDirectory.LoadCausalLanguageModel(full);
        using var original = (LlamaLanguageModel)ModelDirectory.LoadCausalLanguageModel(_base);
        Assert.That(tuned.Model.TokenEmbedding.allclose(original.Model.TokenEmbedding), Is.False);

        var builder = new ExampleBuilder(ModelDirectory.LoadTokenizer(_base), 64);
        var examples = TinyCorpus.Sentences(4).Select(builder.Text).ToList();
        using var before = ModelScorer.Open(_base, null, TrainingTask.CausalLm, CPU);
        using var after = ModelScorer.Open(_base, full, TrainingTask.CausalLm, CPU);
        var (baseLoss, tokens) = before.LanguageModelLoss(examples);
        var (tunedLoss, sameTokens) = after.LanguageModelLoss(examples);
        Assert.That(sameTokens, Is.EqualTo(tokens));
        Assert.That(tunedLoss, Is.LessThan(baseLoss));
    }

    [Test]
    public async Task Pretrain_with_architecture_llama_writes_a_llama_directory_whose_loss_went_down()
    {
        var corpus = await StageHarness.WriteTableAsync(Path.Combine(_root, "corpus.parquet"), ("text", TinyCorpus.Sentences(60)));
        var options = TrainingStagesTests.SmallPretrain();
        options.Architecture = ModelArchitecture.Llama;
        options.NHead = 4;
        options.NKvHead = 2;
        var outputs = await StageHarness.RunAsync(new PretrainStage(), options, Path.Combine(_root, "pretrain-llama"),
            new Dictionary<string, string> { ["corpus"] = corpus });

        var model = outputs["model"];
        var config = (LlamaConfig)ModelDirectory.LoadConfig(model);
        Assert.That(config.KeyValueHeadCount, Is.EqualTo(2));
        Assert.That(config.HiddenSize, Is.EqualTo(16));
        Assert.That(config.IntermediateSize, Is.EqualTo(48)); // 8/3 * 16 = 42.7, rounded up to a multiple of 16
        Assert.That(config.TieWordEmbeddings, Is.True);
        Assert.That(config.VocabSize, Is.EqualTo(ModelDirectory.LoadTokenizer(model).VocabularySize));
        using (var file = SafetensorsFile.Open(Path.Combine(model, ModelDirectory.WeightsFile)))
        {
            Assert.That(file.Contains("model.layers.0.self_attn.k_proj.weight") && !file.Contains("lm_head.weight"), Is.True);
        }

        using var loaded = ModelDirectory.LoadCausalLanguageModel(model);
        Assert.That(loaded, Is.TypeOf<LlamaLanguageModel>());
        var losses = JsonNode.Parse(File.ReadAllText(Path.Combine(model, PretrainStage.MetricsFile)))!["train_loss"]!.AsArray()
            .Select(s => s!["loss"]!.GetValue<double>()).ToArray();
        Assert.That(losses, Has.Length.EqualTo(12));
        Assert.That(losses[^1], Is.LessThan(losses[0]));
    }

    [Test]
    public void Pretrain_binds_architecture_from_yaml_and_rejects_kv_heads_that_do_not_divide_the_heads()
    {
        var with = JsonNode.Parse("""{"architecture": "llama", "n_embd": 24, "n_head": 4, "n_kv_head": 3}""")!.AsObject();
        var options = OptionsBinder.Bind<PretrainStageOptions>(with);
        Assert.That(options.Architecture, Is.EqualTo(ModelArchitecture.Llama));
        var problems = new PretrainStage().Validate(options).ToList();
        Assert.That(problems, Has.Some.EqualTo("'n_head' (4) must be divisible by 'n_kv_head' (3)."));

        var gpt2 = OptionsBinder.Bind<PretrainStageOptions>(JsonNode.Parse("""{"architecture": "gpt2", "n_kv_head": 2}""")!.AsObject());
        Assert.That(new PretrainStage().Validate(gpt2), Has.Some.EqualTo("'n_kv_head' applies to architecture llama only. You entered 2 with gpt2."));

        var odd = new PretrainStageOptions { Architecture = ModelArchitecture.Llama, NEmbd = 12, NHead = 4 };
        Assert.That(new PretrainStage().Validate(odd), Has.Some.EqualTo("'n_embd' / 'n_head' (12 / 4) must be even for llama's rotary embeddings."));
    }
}
