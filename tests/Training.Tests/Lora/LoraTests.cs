using System.Text.Json.Nodes;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class LoraTests
{
    private string _dir = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("lora-").FullName;
        manual_seed(1234);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void A_fresh_adapter_leaves_the_output_unchanged_because_b_starts_at_zero()
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        model.eval();
        using var ids = Ids();
        using var before = model.forward(ids);
        var adapters = LoraInjection.Inject(model, new LoraOptions { Rank = 2, TargetModules = ["c_attn", "c_proj"] });
        using var after = model.forward(ids);
        Assert.That(after.allclose(before, 0, 0), Is.True);
        Assert.That(adapters.Select(a => a.Path), Is.EqualTo(new[]
        {
            "transformer.h.0.attn.c_attn", "transformer.h.0.attn.c_proj", "transformer.h.0.mlp.c_proj",
            "transformer.h.1.attn.c_attn", "transformer.h.1.attn.c_proj", "transformer.h.1.mlp.c_proj",
        }));
        Assert.That(adapters[0].Layer.B.abs().sum().item<float>(), Is.EqualTo(0f));
        Assert.That(adapters[0].Layer.A.abs().sum().item<float>(), Is.GreaterThan(0f));
    }

    [Test]
    public void Only_adapter_parameters_are_trainable_and_counted()
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        var (_, total) = LoraInjection.CountParameters(model);
        LoraInjection.Inject(model, new LoraOptions { Rank = 4, TargetModules = ["c_attn"] });
        var (trainable, totalAfter) = LoraInjection.CountParameters(model);
        // c_attn: in 8, out 24; per layer r * (in + out) = 4 * 32 = 128; two layers.
        Assert.That(trainable, Is.EqualTo(256));
        Assert.That(totalAfter, Is.EqualTo(total + 256));
        Assert.That(model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name),
            Is.All.Contain(".lora_"));
    }

    [Test]
    public void An_unknown_target_module_is_rejected_listing_the_layers_that_can_be_adapted()
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        var e = Assert.Throws<ArgumentException>(() => LoraInjection.Inject(model, new LoraOptions { TargetModules = ["q_proj"] }));
        Assert.That(e!.Message, Does.Contain("'q_proj'").And.Contain("c_attn, c_fc, c_proj"));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void A_rank_below_one_is_rejected(int rank)
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        var e = Assert.Throws<ArgumentException>(() => LoraInjection.Inject(model, new LoraOptions { Rank = rank }));
        Assert.That(e!.Message, Does.Contain($"'lora.r' must be at least 1. You entered {rank}."));
    }

    [Test]
    public void A_regex_target_must_match_the_whole_module_path()
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        var adapters = LoraInjection.Inject(model, new LoraOptions { TargetModules = [@"transformer\.h\.1\.(attn\.c_attn|mlp\.c_fc)"] });
        Assert.That(adapters.Select(a => a.Path), Is.EqualTo(new[] { "transformer.h.1.attn.c_attn", "transformer.h.1.mlp.c_fc" }));
    }

    [Test]
    public void RsLora_scales_by_alpha_over_the_square_root_of_the_rank()
    {
        using var linear = nn.Linear(4, 4);
        using var plain = new LoraLinear(linear, 4, 16, 0);
        using var other = nn.Linear(4, 4);
        using var rs = new LoraLinear(other, 4, 16, 0, useRsLora: true);
        Assert.That(plain.Scaling, Is.EqualTo(4.0));
        Assert.That(rs.Scaling, Is.EqualTo(8.0));
    }

    [Test]
    public void Adapters_injected_into_a_model_in_eval_mode_apply_no_dropout()
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        model.eval();
        var adapters = LoraInjection.Inject(model, new LoraOptions { Rank = 2, Dropout = 0.5, TargetModules = ["c_attn"] });
        RandomiseB(adapters);
        using var ids = Ids();
        using var first = model.forward(ids);
        using var second = model.forward(ids);
        Assert.That(second.allclose(first, 0, 0), Is.True);
    }

    [Test]
    public void Merge_folds_the_update_into_the_base_weight_and_unmerge_restores_it()
    {
        using var model = new Gpt2LanguageModel(TinyGpt2.Config);
        model.eval();
        var adapters = LoraInjection.Inject(model, new LoraOptions { Rank = 2, Dropout = 0, TargetModules = ["c_attn", "c_fc"] });
        RandomiseB(adapters);
        using var ids = Ids();
        using var unmerged = model.forward(ids);
        using var baseBefore = ((LoraLinear)adapters[0].Layer).BaseLayer.weight!.clone();

        foreach (var (_, layer) in adapters)
        {
            layer.Merge();
        }

        using var merged = model.forward(ids);
        Assert.That(merged.sub(unmerged).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(((LoraLinear)adapters[0].Layer).BaseLayer.weight!.allclose(baseBefore), Is.False);

        foreach (var (_, layer) in adapters)
        {
            layer.Unmerge();
        }

        using var back = model.forward(ids);
        Assert.That(back.sub(unmerged).abs().max().item<float>(), Is.LessThan(1e-5f));
        Assert.That(((LoraLinear)adapters[0].Layer).BaseLayer.weight!.sub(baseBefore).abs().max().item<float>(), Is.LessThan(1e-6f));
    }

    [Test]
    public void An_adapter_saved_in_peft_format_loads_back_into_a_fresh_copy_of_the_base_model()
    {
        var weightsPath = Path.Combine(_dir, "base.safetensors");
        TinyGpt2.WriteSafetensors(weightsPath, TinyGpt2.Weights(3), "transformer.");
        using var model = LoadBase(weightsPath);
        var options = new LoraOptions { Rank = 2, Alpha = 8, Dropout = 0.1, TargetModules = ["c_attn", "c_proj"] };
        var adapters = LoraInjection.Inject(model, options);
        RandomiseB(adapters);
        model.eval();
        using var ids = Ids();
        using var expected = model.forward(ids);
        var adapterDir = Path.Combine(_dir, "adapter");
        PeftAdapter.Save(adapterDir, model, adapters, new PeftAdapterConfig { Lora = options, TaskType = "CAUSAL_LM", BaseModel = "tiny" });

        using var copy = LoadBase(weightsPath);
        var (config, loaded) = PeftAdapter.Load(adapterDir, copy);
        copy.eval();
        using var actual = copy.forward(ids);
        Assert.That(actual.allclose(expected, 0, 0), Is.True);
        Assert.That(config.Lora, Is.EqualTo(options).Using<LoraOptions>((a, b) =>
            a.Rank == b.Rank && a.Alpha == b.Alpha && a.Dropout == b.Dropout && a.TargetModules.SequenceEqual(b.TargetModules)));
        Assert.That(loaded.Count, Is.EqualTo(adapters.Count));

        using var file = SafetensorsFile.Open(Path.Combine(adapterDir, "adapter_model.safetensors"));
        Assert.That(file.Info("base_model.model.transformer.h.0.attn.c_attn.lora_A.weight").Shape, Is.EqualTo(new long[] { 2, TinyGpt2.Embd }));
        Assert.That(file.Info("base_model.model.transformer.h.0.attn.c_attn.lora_B.weight").Shape, Is.EqualTo(new long[] { 3 * TinyGpt2.Embd, 2 }));
        Assert.That(file.Info("base_model.model.transformer.h.1.mlp.c_proj.lora_A.weight").Shape, Is.EqualTo(new long[] { 2, TinyGpt2.Inner }));
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(adapterDir, "adapter_config.json")))!.AsObject();
        Assert.That(json["peft_type"]!.GetValue<string>(), Is.EqualTo("LORA"));
        Assert.That(json["r"]!.GetValue<int>(), Is.EqualTo(2));
        Assert.That(json["lora_alpha"]!.GetValue<double>(), Is.EqualTo(8));
        Assert.That(json["fan_in_fan_out"]!.GetValue<bool>(), Is.True);
        Assert.That(json["task_type"]!.GetValue<string>(), Is.EqualTo("CAUSAL_LM"));
        Assert.That(json["bias"]!.GetValue<string>(), Is.EqualTo("none"));
        Assert.That(json["base_model_name_or_path"]!.GetValue<string>(), Is.EqualTo("tiny"));
        Assert.That(json["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "c_attn", "c_proj" }));
    }

    [Test]
    public void A_classifier_head_saved_as_a_module_to_save_loads_back()
    {
        using var model = new Gpt2Classifier(TinyGpt2.Config, 3);
        var adapters = LoraInjection.Inject(model, new LoraOptions { Rank = 2, TargetModules = ["c_attn"] });
        using (no_grad())
        {
            model.Score.weight!.fill_(0.25);
        }

        var dir = Path.Combine(_dir, "cls");
        PeftAdapter.Save(dir, model, adapters, new PeftAdapterConfig { Lora = new LoraOptions { Rank = 2, TargetModules = ["c_attn"] }, TaskType = "SEQ_CLS", ModulesToSave = ["score"] });
        using var file = SafetensorsFile.Open(Path.Combine(dir, "adapter_model.safetensors"));
        Assert.That(file.ReadSingles("base_model.model.score.weight"), Is.All.EqualTo(0.25f));

        using var copy = new Gpt2Classifier(TinyGpt2.Config, 3);
        PeftAdapter.Load(dir, copy);
        Assert.That(copy.Score.weight!.allclose(model.Score.weight!, 0, 0), Is.True);
    }

    private static Gpt2LanguageModel LoadBase(string path)
    {
        var model = new Gpt2LanguageModel(TinyGpt2.Config);
        using var file = SafetensorsFile.Open(path);
        Gpt2Weights.Load(model.Transformer, file);
        return model;
    }

    private static void RandomiseB(IReadOnlyList<(string Path, LoraLayer Layer)> adapters)
    {
        using var noGrad = no_grad();
        foreach (var (_, layer) in adapters)
        {
            layer.B.normal_(0, 0.5);
        }
    }

    private static Tensor Ids() => tensor(new long[] { 3, 1, 4, 1, 5, 9, 2, 6, 5, 3 }, 2, 5);
}
