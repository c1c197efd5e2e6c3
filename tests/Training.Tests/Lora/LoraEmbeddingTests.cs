using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class LoraEmbeddingTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("lora-emb-").FullName;
        manual_seed(4321);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void A_fresh_embedding_adapter_leaves_the_output_unchanged_and_only_its_factors_train()
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        model.eval();
        using var ids = Ids();
        using var before = model.forward(ids);
        var adapters = LoraInjection.Inject(model, new LoraOptions { Rank = 2, TargetModules = ["wte"] });
        using var after = model.forward(ids);

        Assert.That(adapters.Select(a => a.Path), Is.EqualTo(new[] { "transformer.wte" }));
        Assert.That(after.allclose(before, 0, 0), Is.True);
        // PEFT's embedding init: A zeros [r, vocabulary], B normal [width, r].
        Assert.That(adapters[0].Layer.A.shape, Is.EqualTo(new long[] { 2, TinyGpt2.Vocab }));
        Assert.That(adapters[0].Layer.B.shape, Is.EqualTo(new long[] { TinyGpt2.Embd, 2 }));
        Assert.That(adapters[0].Layer.A.abs().sum().item<float>(), Is.EqualTo(0f));
        Assert.That(adapters[0].Layer.B.abs().sum().item<float>(), Is.GreaterThan(0f));
        Assert.That(model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name),
            Is.EqualTo(new[] { "transformer.wte.lora_embedding_A", "transformer.wte.lora_embedding_B" }));
        Assert.That(LoraInjection.CountParameters(model).Trainable, Is.EqualTo(2 * (TinyGpt2.Vocab + TinyGpt2.Embd)));
    }

    [Test]
    public void An_embedding_adapter_adds_the_scaled_transposed_product_to_each_looked_up_row()
    {
        using var table = nn.Embedding(TinyGpt2.Vocab, TinyGpt2.Embd);
        using var lora = new LoraEmbedding(table, rank: 3, alpha: 6);
        using (no_grad())
        {
            lora.A.normal_(0, 1);
        }

        using var ids = Ids();
        using var actual = lora.forward(ids);

        // Independently: W' = W + (alpha / r) (B A)ᵀ, then the rows of W' for the ids.
        var w = table.weight!.detach().data<float>().ToArray();
        var a = lora.A.detach().data<float>().ToArray();
        var b = lora.B.detach().data<float>().ToArray();
        var flat = ids.data<long>().ToArray();
        var got = actual.detach().data<float>().ToArray();
        for (var n = 0; n < flat.Length; n++)
        {
            for (var c = 0; c < TinyGpt2.Embd; c++)
            {
                double expected = w[flat[n] * TinyGpt2.Embd + c];
                for (var k = 0; k < 3; k++)
                {
                    expected += 2.0 * b[c * 3 + k] * a[k * TinyGpt2.Vocab + flat[n]];
                }

                Assert.That(got[n * TinyGpt2.Embd + c], Is.EqualTo(expected).Within(1e-5));
            }
        }
    }

    [Test]
    public void Merging_an_embedding_adapter_keeps_the_outputs_and_unmerging_restores_the_table()
    {
        using var model = new Gpt2Classifier(TinyGpt2.Config, 2);
        model.eval();
        var adapters = LoraInjection.Inject(model, new LoraOptions { Rank = 2, TargetModules = ["c_attn", "wte"] });
        Randomise(adapters);
        using var ids = Ids();
        using var mask = ones_like(ids);
        using var unmerged = model.forward(ids, mask);
        using var tableBefore = model.Transformer.TokenEmbedding.detach().clone();

        foreach (var (_, layer) in adapters)
        {
            layer.Merge();
        }

        using var merged = model.forward(ids, mask);
        Assert.That(merged.sub(unmerged).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(model.Transformer.TokenEmbedding.allclose(tableBefore), Is.False);

        foreach (var (_, layer) in adapters)
        {
            layer.Unmerge();
        }

        Assert.That(model.Transformer.TokenEmbedding.sub(tableBefore).abs().max().item<float>(), Is.LessThan(1e-6f));
    }

    [Test]
    public void An_embedding_adapter_is_saved_under_peft_key_names_and_loads_back_with_the_head()
    {
        var weightsPath = Path.Combine(_dir, "base.safetensors");
        TinyGpt2.WriteSafetensors(weightsPath, TinyGpt2.Weights(5), "transformer.");
        using var model = LoadClassifier(weightsPath);
        var options = new LoraOptions { Rank = 2, Alpha = 4, TargetModules = ["c_attn", "wte"] };
        var adapters = LoraInjection.Inject(model, options);
        Randomise(adapters);
        using (no_grad())
        {
            model.Score.weight!.normal_(0, 1);
        }

        model.eval();
        using var ids = Ids();
        using var mask = ones_like(ids);
        using var expected = model.forward(ids, mask);
        var adapterDir = Path.Combine(_dir, "adapter");
        PeftAdapter.Save(adapterDir, model, adapters, new PeftAdapterConfig { Lora = options, TaskType = "SEQ_CLS", ModulesToSave = ["score"] });

        using (var file = SafetensorsFile.Open(Path.Combine(adapterDir, PeftAdapter.WeightsFile)))
        {
            Assert.That(file.Info("base_model.model.transformer.wte.lora_embedding_A").Shape, Is.EqualTo(new long[] { 2, TinyGpt2.Vocab }));
            Assert.That(file.Info("base_model.model.transformer.wte.lora_embedding_B").Shape, Is.EqualTo(new long[] { TinyGpt2.Embd, 2 }));
            Assert.That(file.Contains("base_model.model.score.weight"), Is.True);
        }

        using var copy = LoadClassifier(weightsPath);
        PeftAdapter.Load(adapterDir, copy);
        copy.eval();
        using var actual = copy.forward(ids, mask);
        Assert.That(actual.allclose(expected, 0, 0), Is.True);
    }

    [Test]
    public void Adapting_the_token_embedding_separates_tokens_the_base_embeds_alike_which_linear_adapters_cannot()
    {
        // The failure mode of LoRA on the small pretrained bases, in its exact form: the label is carried by one
        // token, and the base embeds both label tokens identically. Every row of a class is then the same input as
        // every row of the other class to the layers above, so no adapter on c_attn/c_proj/c_fc can beat the majority;
        // an adapter on wte can.
        var rows = Enumerable.Range(0, 40).Select(i => new TrainingExample([1, 2, 3, i % 4 == 0 ? 6 : 5, 4], null, i % 4 == 0 ? 1 : 0)).ToList();
        var majority = rows.Count(r => r.Label == 0) / (double)rows.Count;

        var linearOnly = TrainClassifier(rows, ["c_attn", "c_proj", "c_fc"]);
        var withEmbedding = TrainClassifier(rows, ["c_attn", "wte"]);

        Assert.That(linearOnly, Is.LessThanOrEqualTo(majority));
        Assert.That(withEmbedding, Is.EqualTo(1.0));
    }

    private static double TrainClassifier(List<TrainingExample> rows, string[] targets)
    {
        manual_seed(7);
        using var model = new Gpt2Classifier(TinyGpt2.Config, 2);
        using (no_grad())
        {
            model.Transformer.TokenEmbedding[6].copy_(model.Transformer.TokenEmbedding[5]);
        }

        LoraInjection.Inject(model, new LoraOptions { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = targets });
        model.Score.weight!.requires_grad = true;
        var trainer = new Trainer(model, new TrainerOptions { LearningRate = 2e-2, Epochs = 15, MaxBatchSize = 8, Seed = 3 }, CPU, padId: 0);
        trainer.Train(rows, []);
        return trainer.Evaluate(rows).Accuracy!.Value;
    }

    private static Gpt2Classifier LoadClassifier(string path)
    {
        var model = new Gpt2Classifier(TinyGpt2.Config, 2);
        using var file = SafetensorsFile.Open(path);
        Gpt2Weights.Load(model.Transformer, file);
        return model;
    }

    private static void Randomise(IReadOnlyList<(string Path, LoraLayer Layer)> adapters)
    {
        using var noGrad = no_grad();
        foreach (var (_, layer) in adapters)
        {
            layer.A.normal_(0, 0.5);
            layer.B.normal_(0, 0.5);
        }
    }

    private static Tensor Ids() => tensor(new long[] { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3 }, 2, 5);
}
