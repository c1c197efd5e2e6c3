using System.Text.Json.Nodes;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class LlamaModelTests
{
    private static readonly int[] Ids = [3, 1, 4, 1, 5, 9, 2, 6, 5, 31];

    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("llama-").FullName;
        manual_seed(11);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [TestCase(false, false)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    public void A_hf_model_directory_gives_the_logits_of_an_independent_plain_csharp_forward_pass(bool tied, bool attentionBias)
    {
        var weights = TinyLlama.Weights(7, tied, attentionBias);
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), weights, TinyLlama.ConfigJson(tied, attentionBias));

        Assert.That(ModelDirectory.LoadConfig(dir), Is.EqualTo(TinyLlama.Config(tied, attentionBias)));
        using var model = ModelDirectory.LoadCausalLanguageModel(dir);
        Assert.That(model, Is.TypeOf<LlamaLanguageModel>());
        var actual = Logits((LlamaLanguageModel)model, Ids);

        var reference = new ReferenceLlama(Data(weights), TinyLlama.Config(tied, attentionBias)).Logits(Ids);
        Assert.That(MaxError(actual, reference), Is.LessThan(1e-5));
    }

    [TestCase(true, false)]
    [TestCase(false, true)]
    public void The_reference_comparison_fails_for_adjacent_pair_rotary_or_tiled_key_value_heads(bool interleavedRope, bool tiledKv)
    {
        var weights = TinyLlama.Weights(7);
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), weights, TinyLlama.ConfigJson());
        using var model = (LlamaLanguageModel)ModelDirectory.LoadCausalLanguageModel(dir);
        var wrong = new ReferenceLlama(Data(weights), TinyLlama.Config(), interleavedRope, tiledKv).Logits(Ids);
        Assert.That(MaxError(Logits(model, Ids), wrong), Is.GreaterThan(1e-2));
    }

    [TestCase(SafetensorsDType.F16)]
    [TestCase(SafetensorsDType.BF16)]
    public void Half_precision_weights_load_widened_exactly(SafetensorsDType dtype)
    {
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), TinyLlama.Weights(5), TinyLlama.ConfigJson(), dtype);
        Dictionary<string, float[]> stored;
        using (var file = SafetensorsFile.Open(Path.Combine(dir, "model.safetensors")))
        {
            Assert.That(file.Tensors.Select(t => t.DType), Is.All.EqualTo(dtype));
            stored = file.Tensors.ToDictionary(t => t.Name, t => file.ReadSingles(t.Name));
        }

        using var model = (LlamaLanguageModel)ModelDirectory.LoadCausalLanguageModel(dir);
        var reference = new ReferenceLlama(stored, TinyLlama.Config()).Logits(Ids);
        Assert.That(MaxError(Logits(model, Ids), reference), Is.LessThan(1e-5));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Saved_weights_keep_the_hf_names_and_values_and_load_back_identically(bool tied)
    {
        var weights = TinyLlama.Weights(3, tied);
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), weights, TinyLlama.ConfigJson(tied));
        using var model = (LlamaLanguageModel)ModelDirectory.LoadCausalLanguageModel(dir);

        var copyDir = Path.Combine(_dir, "copy");
        Directory.CreateDirectory(copyDir);
        model.Model.Config.Save(Path.Combine(copyDir, "config.json"));
        LlamaWeights.Save(model, Path.Combine(copyDir, "model.safetensors"));

        using (var file = SafetensorsFile.Open(Path.Combine(copyDir, "model.safetensors")))
        {
            Assert.That(file.Tensors.Select(t => t.Name), Is.EqualTo(weights.Keys));
            foreach (var (name, (shape, data)) in weights)
            {
                Assert.That(file.Info(name).Shape, Is.EqualTo(shape), name);
                Assert.That(file.ReadSingles(name), Is.EqualTo(data), name);
            }
        }

        Assert.That(ModelDirectory.LoadConfig(copyDir), Is.EqualTo(model.Model.Config));
        using var copy = (LlamaLanguageModel)ModelDirectory.LoadCausalLanguageModel(copyDir);
        Assert.That(Logits(copy, Ids), Is.EqualTo(Logits(model, Ids)));
    }

    [Test]
    public void Left_padding_under_the_attention_mask_leaves_the_real_tokens_logits_unchanged()
    {
        using var model = new LlamaLanguageModel(TinyLlama.Config());
        model.eval();
        using var exact = tensor(new long[] { 5, 6, 7, 8 }, 1, 4);
        using var padded = tensor(new long[] { 0, 0, 0, 5, 6, 7, 8 }, 1, 7);
        using var mask = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1 }, 1, 7);
        using var a = model.forward(exact);
        using var b = model.forward(padded, mask);
        using var real = b.narrow(1, 3, 4);
        Assert.That(real.sub(a).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(b.isnan().any().item<bool>(), Is.False);
    }

    [Test]
    public void The_classifier_pools_the_last_real_token_whether_padding_is_on_the_right_or_the_left()
    {
        using var classifier = new LlamaClassifier(TinyLlama.Config(), 3);
        classifier.eval();
        using var exact = tensor(new long[] { 5, 6, 7 }, 1, 3);
        using var exactMask = ones(1, 3, ScalarType.Int64);
        using var padded = tensor(new long[] { 5, 6, 7, 0, 0, 0, 0, 5, 6, 7 }, 2, 5);
        using var mask = tensor(new long[] { 1, 1, 1, 0, 0, 0, 0, 1, 1, 1 }, 2, 5);
        using var expected = classifier.forward(exact, exactMask);
        using var actual = classifier.forward(padded, mask);
        Assert.That(actual.shape, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(actual[0].sub(expected[0]).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(actual[1].sub(expected[0]).abs().max().item<float>(), Is.LessThan(1e-5f));

        // Pooling any other token would give another score: the prefix [5, 6] scores differently.
        using var prefix = classifier.forward(tensor(new long[] { 5, 6 }, 1, 2), ones(1, 2, ScalarType.Int64));
        Assert.That(prefix.sub(expected).abs().max().item<float>(), Is.GreaterThan(1e-4f));
    }

    [Test]
    public void A_classifier_loads_the_body_and_a_stored_score_head_of_the_same_width()
    {
        var weights = TinyLlama.Weights(9);
        weights["score.weight"] = ([3, TinyLlama.Hidden], Enumerable.Range(0, 3 * TinyLlama.Hidden).Select(i => i / 100f).ToArray());
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), weights, TinyLlama.ConfigJson());
        using var classifier = ModelDirectory.LoadSequenceClassifier(dir, 3);
        Assert.That(classifier, Is.TypeOf<LlamaClassifier>());
        var llama = (LlamaClassifier)classifier;
        Assert.That(llama.Score.weight!.data<float>().ToArray(), Is.EqualTo(weights["score.weight"].Data));
        Assert.That(llama.Model.TokenEmbedding.data<float>().ToArray(), Is.EqualTo(weights["model.embed_tokens.weight"].Data));
    }

    [Test]
    public void An_unsupported_model_type_is_reported_with_the_file_and_the_types_that_are_supported()
    {
        var config = TinyLlama.ConfigJson();
        config["model_type"] = "mistral";
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), TinyLlama.Weights(1), config);
        var e = Assert.Throws<InvalidDataException>(() => ModelDirectory.LoadCausalLanguageModel(dir));
        Assert.That(e!.Message, Does.Contain(Path.Combine(dir, "config.json")).And.Contain("model_type 'mistral'").And.Contain("gpt2, llama"));
    }

    [Test]
    public void Query_heads_that_key_value_heads_do_not_divide_are_rejected_naming_both_fields_and_the_file()
    {
        var config = TinyLlama.ConfigJson();
        config["num_key_value_heads"] = 3;
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), TinyLlama.Weights(1), config);
        var e = Assert.Throws<InvalidDataException>(() => ModelDirectory.LoadConfig(dir));
        Assert.That(e!.Message, Does.Contain(Path.Combine(dir, "config.json")).And.Contain("'num_attention_heads' (4) must be divisible by 'num_key_value_heads' (3)"));
    }

    [TestCase("hidden_size", "\"16\"", "'hidden_size' must be an integer. You entered \"16\".")]
    [TestCase("tie_word_embeddings", "1", "'tie_word_embeddings' must be true or false. You entered 1.")]
    [TestCase("rope_scaling", "{\"rope_type\": \"llama3\", \"factor\": 8.0}", "'rope_scaling' has rope_type 'llama3'; only the default rotary embedding is supported.")]
    [TestCase("hidden_act", "\"gelu\"", "'hidden_act' must be 'silu' (SwiGLU). You entered 'gelu'.")]
    [TestCase("num_hidden_layers", "0", "'num_hidden_layers' must be at least 1. You entered 0.")]
    public void A_bad_config_field_is_reported_by_name_with_its_value(string field, string json, string message)
    {
        var config = TinyLlama.ConfigJson();
        config[field] = JsonNode.Parse(json);
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, config.ToJsonString());
        var e = Assert.Throws<InvalidDataException>(() => ModelConfigs.Load(path));
        Assert.That(e!.Message, Does.StartWith($"Model config '{path}'").And.Contain(message));
    }

    [Test]
    public void A_missing_weight_is_reported_by_its_hf_name_and_the_file()
    {
        var weights = TinyLlama.Weights(1);
        weights.Remove("model.layers.1.mlp.gate_proj.weight");
        weights.Remove("model.norm.weight");
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), weights, TinyLlama.ConfigJson());
        var e = Assert.Throws<InvalidDataException>(() => ModelDirectory.LoadCausalLanguageModel(dir));
        Assert.That(e!.Message, Does.Contain(Path.Combine(dir, "model.safetensors"))
            .And.Contain("lacks 2 Llama weight(s)").And.Contain("model.layers.1.mlp.gate_proj.weight").And.Contain("model.norm.weight"));
    }

    [Test]
    public void An_untied_model_without_lm_head_is_rejected()
    {
        var weights = TinyLlama.Weights(1);
        weights.Remove("lm_head.weight");
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), weights, TinyLlama.ConfigJson());
        var e = Assert.Throws<InvalidDataException>(() => ModelDirectory.LoadCausalLanguageModel(dir));
        Assert.That(e!.Message, Does.Contain("lm_head.weight (tie_word_embeddings is false)"));
    }

    [Test]
    public void A_weight_of_the_wrong_shape_is_reported_with_both_shapes()
    {
        var weights = TinyLlama.Weights(1);
        weights["model.layers.0.self_attn.k_proj.weight"] = ([TinyLlama.Hidden, TinyLlama.Hidden], new float[TinyLlama.Hidden * TinyLlama.Hidden]);
        var dir = TinyLlama.WriteDirectory(Path.Combine(_dir, "m"), weights, TinyLlama.ConfigJson());
        var e = Assert.Throws<InvalidDataException>(() => ModelDirectory.LoadCausalLanguageModel(dir));
        Assert.That(e!.Message, Does.Contain("model.layers.0.self_attn.k_proj.weight").And.Contain("[16, 16]").And.Contain("[8, 16]"));
    }

    [Test]
    public void Absent_and_null_fields_take_transformers_defaults_and_a_list_of_eos_ids_gives_the_first()
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, """{"model_type": "llama", "hidden_size": 64, "num_attention_heads": 8, "num_key_value_heads": null, "head_dim": null, "eos_token_id": [128001, 128009], "rope_parameters": {"rope_type": "default", "rope_theta": 500000.0}}""");
        var config = (LlamaConfig)ModelConfigs.Load(path);
        Assert.That(config.KeyValueHeadCount, Is.EqualTo(8));
        Assert.That(config.HeadSize, Is.EqualTo(8));
        Assert.That(config.EosTokenId, Is.EqualTo(128001));
        Assert.That(config.RopeTheta, Is.EqualTo(500000.0));
        Assert.That(config.TieWordEmbeddings, Is.False);
        Assert.That(config.RmsNormEpsilon, Is.EqualTo(1e-6));
        Assert.That(config.VocabSize, Is.EqualTo(32000));
    }

    [Test]
    public void A_config_without_model_type_still_reads_as_gpt2()
    {
        var path = Path.Combine(_dir, "config.json");
        File.WriteAllText(path, """{"n_embd": 8, "n_head": 2, "n_layer": 1, "vocab_size": 5, "n_positions": 4}""");
        Assert.That(ModelConfigs.Load(path), Is.TypeOf<Gpt2Config>().With.Property(nameof(IModelConfig.Positions)).EqualTo(4));
    }

    private static float[] Logits(LlamaLanguageModel model, int[] ids)
    {
        model.eval();
        using var noGrad = no_grad();
        using var input = tensor(ids.Select(i => (long)i).ToArray(), 1, ids.Length);
        using var logits = model.forward(input);
        Assert.That(logits.shape, Is.EqualTo(new long[] { 1, ids.Length, TinyLlama.Vocab }));
        return logits.data<float>().ToArray();
    }

    private static double MaxError(float[] actual, double[,] reference)
    {
        var max = 0.0;
        for (var i = 0; i < reference.GetLength(0); i++)
        {
            for (var v = 0; v < reference.GetLength(1); v++)
            {
                max = Math.Max(max, Math.Abs(actual[i * reference.GetLength(1) + v] - reference[i, v]));
            }
        }

        return max;
    }

    private static Dictionary<string, float[]> Data(SortedDictionary<string, (long[] Shape, float[] Data)> weights) =>
        weights.ToDictionary(p => p.Key, p => p.Value.Data);
}
