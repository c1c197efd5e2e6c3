using System.Text.Json.Nodes;
using NUnit.Framework;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class LlamaLoraTests
{
    private static readonly LoraOptions PeftDefault = new() { Rank = 4, Alpha = 8, Dropout = 0, TargetModules = ["q_proj", "v_proj"] };

    private string _dir = null!;
    private string _base = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("llama-lora-").FullName;
        _base = TinyLlama.WriteDirectory(Path.Combine(_dir, "base"), TinyLlama.Weights(21), TinyLlama.ConfigJson());
        manual_seed(99);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, true);

    [Test]
    public void Peft_default_targets_q_proj_and_v_proj_get_adapters_at_hf_module_paths_and_only_they_train()
    {
        using var model = LoadBase();
        var (_, total) = LoraInjection.CountParameters(model);
        var adapters = LoraInjection.Inject(model, PeftDefault);
        Assert.That(adapters.Select(a => a.Path), Is.EqualTo(new[]
        {
            "model.layers.0.self_attn.q_proj", "model.layers.0.self_attn.v_proj",
            "model.layers.1.self_attn.q_proj", "model.layers.1.self_attn.v_proj",
        }));

        // q_proj 16 -> 16 and v_proj 16 -> 8 (two kv heads of width 4): r * (in + out) = 4 * 32 + 4 * 24 per layer.
        var (trainable, totalAfter) = LoraInjection.CountParameters(model);
        Assert.That(trainable, Is.EqualTo(2 * (4 * 32 + 4 * 24)));
        Assert.That(totalAfter, Is.EqualTo(total + trainable));
        Assert.That(model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name), Is.All.Contain(".lora_"));
    }

    [Test]
    public void Every_llama_projection_can_be_adapted_and_an_unknown_name_lists_them()
    {
        using var model = LoadBase();
        var e = Assert.Throws<ArgumentException>(() => LoraInjection.Inject(model, new LoraOptions { TargetModules = ["c_attn"] }));
        Assert.That(e!.Message, Does.Contain("'c_attn'").And.Contain("down_proj, gate_proj, k_proj, o_proj, q_proj, up_proj, v_proj"));
        Assert.That(e.Message, Does.Not.Contain("lm_head"));
    }

    [Test]
    public void Merge_keeps_the_outputs_within_1e_5_and_unmerge_restores_the_base_weights()
    {
        using var model = LoadBase();
        model.eval();
        var adapters = LoraInjection.Inject(model, PeftDefault with { TargetModules = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"] });
        RandomiseB(adapters);
        using var ids = Ids();
        using var unmerged = model.forward(ids);
        using var untouched = LoadBase();
        untouched.eval();
        using var baseOutput = untouched.forward(ids);
        Assert.That(unmerged.sub(baseOutput).abs().max().item<float>(), Is.GreaterThan(1e-3f), "the adapters must change the output for the check to mean anything");
        using var baseBefore = ((LoraLinear)adapters[0].Layer).BaseLayer.weight!.clone();

        foreach (var (_, layer) in adapters)
        {
            layer.Merge();
        }

        using var merged = model.forward(ids);
        Assert.That(merged.sub(unmerged).abs().max().item<float>(), Is.LessThan(1e-5f));

        foreach (var (_, layer) in adapters)
        {
            layer.Unmerge();
        }

        Assert.That(((LoraLinear)adapters[0].Layer).BaseLayer.weight!.sub(baseBefore).abs().max().item<float>(), Is.LessThan(1e-6f));
    }

    [Test]
    public void An_adapter_saved_in_peft_format_has_peft_key_names_and_loads_back_into_a_fresh_base()
    {
        using var model = LoadBase();
        var adapters = LoraInjection.Inject(model, PeftDefault);
        RandomiseB(adapters);
        model.eval();
        using var ids = Ids();
        using var expected = model.forward(ids);
        var adapterDir = Path.Combine(_dir, "adapter");
        PeftAdapter.Save(adapterDir, model, adapters, new PeftAdapterConfig { Lora = PeftDefault, TaskType = "CAUSAL_LM", BaseModel = "tiny-llama", FanInFanOut = false });

        using (var file = SafetensorsFile.Open(Path.Combine(adapterDir, PeftAdapter.WeightsFile)))
        {
            Assert.That(file.Tensors, Has.Count.EqualTo(8));
            Assert.That(file.Info("base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight").Shape, Is.EqualTo(new long[] { 4, TinyLlama.Hidden }));
            Assert.That(file.Info("base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight").Shape, Is.EqualTo(new long[] { TinyLlama.Heads * TinyLlama.HeadDim, 4 }));
            Assert.That(file.Info("base_model.model.model.layers.1.self_attn.v_proj.lora_B.weight").Shape, Is.EqualTo(new long[] { TinyLlama.KvHeads * TinyLlama.HeadDim, 4 }));
        }

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(adapterDir, PeftAdapter.ConfigFile)))!.AsObject();
        Assert.That(json["fan_in_fan_out"]!.GetValue<bool>(), Is.False);
        Assert.That(json["target_modules"]!.AsArray().Select(t => t!.GetValue<string>()), Is.EqualTo(new[] { "q_proj", "v_proj" }));

        using var copy = LoadBase();
        var (_, loaded) = PeftAdapter.Load(adapterDir, copy);
        copy.eval();
        using var actual = copy.forward(ids);
        Assert.That(loaded.Select(a => a.Path), Is.EqualTo(adapters.Select(a => a.Path)));
        Assert.That(actual.allclose(expected, 0, 0), Is.True);
    }

    [Test]
    public void A_merged_model_saves_under_the_base_names_and_reloads_with_the_adapted_outputs()
    {
        using var model = LoadBase();
        var adapters = LoraInjection.Inject(model, PeftDefault);
        RandomiseB(adapters);
        model.eval();
        using var ids = Ids();
        using var expected = model.forward(ids);
        foreach (var (_, layer) in adapters)
        {
            layer.Merge();
        }

        var merged = Path.Combine(_dir, "merged");
        Directory.CreateDirectory(merged);
        File.Copy(Path.Combine(_base, "config.json"), Path.Combine(merged, "config.json"));
        LlamaWeights.Save(model, Path.Combine(merged, "model.safetensors"));
        using (var file = SafetensorsFile.Open(Path.Combine(merged, "model.safetensors")))
        {
            Assert.That(file.Tensors.Select(t => t.Name), Is.EqualTo(TinyLlama.Weights(21).Keys));
        }

        using var reloaded = ModelDirectory.LoadCausalLanguageModel(merged);
        reloaded.eval();
        using var actual = ((LlamaLanguageModel)reloaded).forward(ids);
        Assert.That(actual.sub(expected).abs().max().item<float>(), Is.LessThan(1e-5f));
    }

    [Test]
    public void A_llama_classifier_head_saved_as_a_module_to_save_loads_back()
    {
        using var model = (LlamaClassifier)ModelDirectory.LoadSequenceClassifier(_base, 2);
        var adapters = LoraInjection.Inject(model, PeftDefault);
        using (no_grad())
        {
            model.Score.weight!.fill_(0.25);
        }

        var dir = Path.Combine(_dir, "cls");
        PeftAdapter.Save(dir, model, adapters, new PeftAdapterConfig { Lora = PeftDefault, TaskType = "SEQ_CLS", ModulesToSave = ["score"], FanInFanOut = false });
        using (var file = SafetensorsFile.Open(Path.Combine(dir, PeftAdapter.WeightsFile)))
        {
            Assert.That(file.ReadSingles("base_model.model.score.weight"), Is.All.EqualTo(0.25f));
        }

        using var copy = (LlamaClassifier)ModelDirectory.LoadSequenceClassifier(_base, 2);
        PeftAdapter.Load(dir, copy);
        Assert.That(copy.Score.weight!.allclose(model.Score.weight!, 0, 0), Is.True);
    }

    private LlamaLanguageModel LoadBase() => (LlamaLanguageModel)ModelDirectory.LoadCausalLanguageModel(_base);

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
