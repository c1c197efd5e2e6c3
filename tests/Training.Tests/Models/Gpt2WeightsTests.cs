using NUnit.Framework;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class Gpt2WeightsTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("gpt2-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [TestCase("")]
    [TestCase("transformer.")]
    public void Loaded_hf_weights_give_the_logits_of_an_independent_plain_csharp_forward_pass(string prefix)
    {
        var weights = TinyGpt2.Weights(7);
        var path = Path.Combine(_dir, "model.safetensors");
        TinyGpt2.WriteSafetensors(path, weights, prefix);
        var ids = new[] { 3, 1, 4, 1, 5, 9, 2, 6 };

        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        using (var file = SafetensorsFile.Open(path))
        {
            Gpt2Weights.Load(model.Transformer, file);
        }

        model.eval();
        using var input = tensor(ids.Select(i => (long)i).ToArray(), 1, ids.Length);
        using var logits = model.forward(input);
        var actual = logits.data<float>().ToArray();

        var reference = new ReferenceGpt2(weights.ToDictionary(p => p.Key, p => p.Value.Data), TinyGpt2.Vocab, TinyGpt2.Embd,
            TinyGpt2.Layers, TinyGpt2.Heads, TinyGpt2.Inner, 1e-5).Logits(ids);
        var maxError = 0.0;
        for (var i = 0; i < ids.Length; i++)
        {
            for (var v = 0; v < TinyGpt2.Vocab; v++)
            {
                maxError = Math.Max(maxError, Math.Abs(actual[i * TinyGpt2.Vocab + v] - reference[i, v]));
            }
        }

        Assert.That(logits.shape, Is.EqualTo(new long[] { 1, ids.Length, TinyGpt2.Vocab }));
        Assert.That(maxError, Is.LessThan(1e-5));
    }

    [Test]
    public void Saved_weights_use_hf_names_and_conv1d_layout_and_load_back_identically()
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        var path = Path.Combine(_dir, "saved.safetensors");
        Gpt2Weights.Save(model.Transformer, path);

        using var file = SafetensorsFile.Open(path);
        Assert.That(file.Info("transformer.h.0.attn.c_attn.weight").Shape, Is.EqualTo(new long[] { TinyGpt2.Embd, 3 * TinyGpt2.Embd }));
        Assert.That(file.Info("transformer.h.1.mlp.c_fc.weight").Shape, Is.EqualTo(new long[] { TinyGpt2.Embd, TinyGpt2.Inner }));
        Assert.That(file.Metadata["format"], Is.EqualTo("pt"));

        using var copy = new Gpt2LanguageModel(TinyGpt2.Config);
        Gpt2Weights.Load(copy.Transformer, file);
        using var ids = tensor(new long[] { 1, 2, 3, 4 }, 1, 4);
        model.eval();
        copy.eval();
        using var a = model.forward(ids);
        using var b = copy.forward(ids);
        Assert.That(a.allclose(b, 0, 0), Is.True);
    }

    [Test]
    public void A_missing_weight_is_reported_by_name()
    {
        var weights = TinyGpt2.Weights(1);
        weights.Remove("h.1.mlp.c_fc.bias");
        var path = Path.Combine(_dir, "missing.safetensors");
        TinyGpt2.WriteSafetensors(path, weights, "");
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        using var file = SafetensorsFile.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => Gpt2Weights.Load(model.Transformer, file));
        Assert.That(e!.Message, Does.Contain("h.1.mlp.c_fc.bias"));
    }

    [Test]
    public void A_weight_of_the_wrong_shape_is_reported_with_both_shapes()
    {
        var weights = TinyGpt2.Weights(1);
        weights["wpe.weight"] = ([4, TinyGpt2.Embd], new float[4 * TinyGpt2.Embd]);
        var path = Path.Combine(_dir, "shape.safetensors");
        TinyGpt2.WriteSafetensors(path, weights, "");
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        using var file = SafetensorsFile.Open(path);
        var e = Assert.Throws<InvalidDataException>(() => Gpt2Weights.Load(model.Transformer, file));
        Assert.That(e!.Message, Does.Contain("wpe.weight").And.Contain("[4, 8]").And.Contain("[16, 8]"));
    }

    [Test]
    public void Classifier_pools_the_last_non_padding_token()
    {
        using var classifier = new Gpt2Classifier(TinyGpt2.Config, 3);
        classifier.eval();
        using var padded = tensor(new long[] { 5, 6, 7, 0, 0 }, 1, 5);
        using var mask = tensor(new long[] { 1, 1, 1, 0, 0 }, 1, 5);
        using var exact = tensor(new long[] { 5, 6, 7 }, 1, 3);
        using var exactMask = ones(1, 3, ScalarType.Int64);
        using var a = classifier.forward(padded, mask);
        using var b = classifier.forward(exact, exactMask);
        Assert.That(a.shape, Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(a.allclose(b, 1e-6, 1e-6), Is.True);
    }

    [Test]
    public void Config_round_trips_through_hf_config_json()
    {
        var path = Path.Combine(_dir, "config.json");
        TinyGpt2.Config.Save(path);
        var loaded = Gpt2Config.Load(path);
        Assert.That(loaded, Is.EqualTo(TinyGpt2.Config));
        Assert.That(File.ReadAllText(path), Does.Contain("\"n_embd\": 8").And.Contain("\"model_type\": \"gpt2\""));
    }

    [Test]
    public void A_config_whose_heads_do_not_divide_the_width_is_rejected()
    {
        var path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, "{\"n_embd\": 10, \"n_head\": 3, \"n_layer\": 1, \"vocab_size\": 5, \"n_positions\": 4}");
        var e = Assert.Throws<InvalidDataException>(() => Gpt2Config.Load(path));
        Assert.That(e!.Message, Does.Contain("'n_embd' (10) must be divisible by 'n_head' (3)"));
    }
}
