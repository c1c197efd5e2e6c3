using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Training.Tests.Packaged;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

/// <summary>LoRA on the real all-MiniLM-L6-v2 in PEFT's layout for <c>BertForSequenceClassification</c>.</summary>
public class BertLoraTests
{
    private static readonly LoraOptions Options = new() { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = ["query", "key", "value", "dense"] };
    private static readonly string[] Texts = ["The cat sat on the mat", "Stock markets fell sharply on Tuesday"];

    private string _base = null!;
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _base = PackagedModelCache.Directory(PackagedModelCache.MiniLm);
        _dir = Directory.CreateTempSubdirectory("bert-lora-").FullName;
        manual_seed(5);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void Query_key_value_and_dense_match_by_suffix_as_peft_does_and_the_classifier_is_not_adapted()
    {
        using var model = LoadClassifier();
        var adapters = LoraInjection.Inject(model, Options);

        var perLayer = new[] { "attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense", "intermediate.dense", "output.dense" };
        var expected = Enumerable.Range(0, 6).SelectMany(i => perLayer.Select(m => $"bert.encoder.layer.{i}.{m}")).Append("bert.pooler.dense");
        Assert.That(adapters.Select(a => a.Path), Is.EquivalentTo(expected));
        Assert.That(model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name), Is.All.Contain(".lora_"));
    }

    [Test]
    public void An_adapter_is_written_under_peft_key_names_and_a_fresh_base_reads_it_back_by_those_names()
    {
        using var model = LoadClassifier();
        var adapters = LoraInjection.Inject(model, Options);
        RandomiseB(adapters);
        using (no_grad())
        {
            model.Score.weight!.fill_(0.125);
            model.Score.bias!.fill_(-0.5);
        }

        var adapterDir = Path.Combine(_dir, "adapter");
        PeftAdapter.Save(adapterDir, model, adapters, new PeftAdapterConfig
        {
            Lora = Options, TaskType = "SEQ_CLS", BaseModel = "all-MiniLM-L6-v2", ModulesToSave = [((ISequenceClassifier)model).HeadModule], FanInFanOut = false,
        });

        using (var file = SafetensorsFile.Open(Path.Combine(adapterDir, PeftAdapter.WeightsFile)))
        {
            Assert.That(file.Tensors, Has.Count.EqualTo((37 * 2) + 2));
            Assert.That(file.Info("base_model.model.bert.encoder.layer.0.attention.self.query.lora_A.weight").Shape, Is.EqualTo(new long[] { 4, 384 }));
            Assert.That(file.Info("base_model.model.bert.encoder.layer.0.attention.self.query.lora_B.weight").Shape, Is.EqualTo(new long[] { 384, 4 }));
            Assert.That(file.Info("base_model.model.bert.encoder.layer.5.intermediate.dense.lora_B.weight").Shape, Is.EqualTo(new long[] { 1536, 4 }));
            Assert.That(file.Info("base_model.model.bert.encoder.layer.5.output.dense.lora_A.weight").Shape, Is.EqualTo(new long[] { 4, 1536 }));
            Assert.That(file.Contains("base_model.model.bert.pooler.dense.lora_A.weight"));
            Assert.That(file.ReadSingles("base_model.model.classifier.weight"), Is.All.EqualTo(0.125f));
            Assert.That(file.ReadSingles("base_model.model.classifier.bias"), Is.All.EqualTo(-0.5f));
        }

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(adapterDir, PeftAdapter.ConfigFile)))!.AsObject();
        Assert.Multiple(() =>
        {
            Assert.That(json["task_type"]!.GetValue<string>(), Is.EqualTo("SEQ_CLS"));
            Assert.That(json["peft_type"]!.GetValue<string>(), Is.EqualTo("LORA"));
            Assert.That(json["fan_in_fan_out"]!.GetValue<bool>(), Is.False);
            Assert.That(json["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "query", "key", "value", "dense" }));
            Assert.That(json["modules_to_save"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "classifier" }));
        });

        model.eval();
        using var expected = Logits(model);
        using var copy = LoadClassifier();
        var (_, loaded) = PeftAdapter.Load(adapterDir, copy);
        copy.eval();
        using var actual = Logits(copy);
        Assert.That(loaded.Select(a => a.Path), Is.EqualTo(adapters.Select(a => a.Path)));
        Assert.That(actual.allclose(expected, 0, 0), Is.True);
    }

    [Test]
    public void Merge_keeps_the_logits_unmerge_restores_the_base_and_the_merged_model_saves_as_a_plain_bert_directory()
    {
        using var model = LoadClassifier();
        model.eval();
        using var baseLogits = Logits(model);
        var adapters = LoraInjection.Inject(model, Options);
        RandomiseB(adapters);
        using var unmerged = Logits(model);
        Assert.That(unmerged.sub(baseLogits).abs().max().item<float>(), Is.GreaterThan(1e-3f), "the adapters must change the output for the check to mean anything");
        var query = (LoraLinear)adapters.Single(a => a.Path == "bert.encoder.layer.0.attention.self.query").Layer;
        using var baseWeight = query.BaseLayer.weight!.clone();

        foreach (var (_, layer) in adapters)
        {
            layer.Merge();
        }

        using var merged = Logits(model);
        Assert.That(merged.sub(unmerged).abs().max().item<float>(), Is.LessThan(1e-4f));

        var mergedDir = Path.Combine(_dir, "merged");
        ModelDirectory.SaveModel(mergedDir, model, _base);
        using (var file = SafetensorsFile.Open(Path.Combine(mergedDir, ModelDirectory.WeightsFile)))
        {
            Assert.That(file.Tensors.Select(t => t.Name), Has.None.Contain("lora_").And.None.Contain("base_layer"));
        }

        using var reloaded = (BertClassifier)ModelDirectory.LoadSequenceClassifier(mergedDir, labels: 2);
        reloaded.eval();
        using var fromDisk = Logits(reloaded);
        Assert.That(fromDisk.sub(merged).abs().max().item<float>(), Is.LessThan(1e-6f));

        foreach (var (_, layer) in adapters)
        {
            layer.Unmerge();
        }

        Assert.That(query.BaseLayer.weight!.sub(baseWeight).abs().max().item<float>(), Is.LessThan(1e-6f));
    }

    private BertClassifier LoadClassifier() => (BertClassifier)ModelDirectory.LoadSequenceClassifier(_base, labels: 2);

    private Tensor Logits(BertClassifier model)
    {
        var batch = ModelDirectory.LoadBertTokenizer(_base).EncodeBatch(Texts, maxLength: 32);
        using var noGrad = no_grad();
        using var ids = batch.IdsTensor();
        using var mask = batch.MaskTensor();
        return model.forward(ids, mask);
    }

    private static void RandomiseB(IReadOnlyList<(string Path, LoraLayer Layer)> adapters)
    {
        using var noGrad = no_grad();
        foreach (var (_, layer) in adapters)
        {
            layer.B.normal_(0, 0.05);
        }
    }
}
