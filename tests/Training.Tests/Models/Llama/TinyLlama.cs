using System.Text.Json.Nodes;

namespace Pipelines.Training.Tests;

/// <summary>Builds tiny Llama weight sets in Hugging Face naming (nn.Linear layout [out, in]) with seeded values, and model directories.</summary>
internal static class TinyLlama
{
    public const int Vocab = 32, Hidden = 16, Layers = 2, Heads = 4, KvHeads = 2, Inner = 40, HeadDim = Hidden / Heads, Positions = 32;

    public static LlamaConfig Config(bool tied = false, bool attentionBias = false) => new()
    {
        VocabSize = Vocab, HiddenSize = Hidden, IntermediateSize = Inner, Layers = Layers, Heads = Heads, KeyValueHeads = KvHeads,
        Positions = Positions, RmsNormEpsilon = 1e-5, RopeTheta = 10000, TieWordEmbeddings = tied, AttentionBias = attentionBias,
        BosTokenId = 1, EosTokenId = 0,
    };

    /// <summary>The config.json text transformers would write for <see cref="Config"/> (a few fields left out to exercise defaults).</summary>
    public static JsonObject ConfigJson(bool tied = false, bool attentionBias = false) => new()
    {
        ["architectures"] = new JsonArray("LlamaForCausalLM"),
        ["model_type"] = "llama",
        ["vocab_size"] = Vocab,
        ["hidden_size"] = Hidden,
        ["intermediate_size"] = Inner,
        ["num_hidden_layers"] = Layers,
        ["num_attention_heads"] = Heads,
        ["num_key_value_heads"] = KvHeads,
        ["max_position_embeddings"] = Positions,
        ["rms_norm_eps"] = 1e-5,
        ["rope_theta"] = 10000.0,
        ["rope_scaling"] = null,
        ["tie_word_embeddings"] = tied,
        ["attention_bias"] = attentionBias,
        ["hidden_act"] = "silu",
        ["bos_token_id"] = 1,
        ["eos_token_id"] = 0,
        ["torch_dtype"] = "float32",
    };

    /// <summary>HF-named weights of <c>LlamaForCausalLM</c> with values from a seeded generator (norm weights near 1).</summary>
    public static SortedDictionary<string, (long[] Shape, float[] Data)> Weights(int seed, bool tied = false, bool attentionBias = false)
    {
        var random = new Random(seed);
        var w = new SortedDictionary<string, (long[], float[])>(StringComparer.Ordinal);
        void Add(string name, params long[] shape)
        {
            var n = shape.Aggregate(1L, (a, b) => a * b);
            var norm = name.EndsWith("norm.weight", StringComparison.Ordinal);
            var scale = norm ? 0.2f : 0.5f;
            var offset = norm ? 1f : 0f;
            w[name] = (shape, Enumerable.Range(0, (int)n).Select(_ => offset + scale * (float)(random.NextDouble() * 2 - 1)).ToArray());
        }

        Add("model.embed_tokens.weight", Vocab, Hidden);
        for (var l = 0; l < Layers; l++)
        {
            var p = $"model.layers.{l}.";
            Add(p + "input_layernorm.weight", Hidden);
            Add(p + "self_attn.q_proj.weight", Heads * HeadDim, Hidden);
            Add(p + "self_attn.k_proj.weight", KvHeads * HeadDim, Hidden);
            Add(p + "self_attn.v_proj.weight", KvHeads * HeadDim, Hidden);
            Add(p + "self_attn.o_proj.weight", Hidden, Heads * HeadDim);
            if (attentionBias)
            {
                Add(p + "self_attn.q_proj.bias", Heads * HeadDim);
                Add(p + "self_attn.k_proj.bias", KvHeads * HeadDim);
                Add(p + "self_attn.v_proj.bias", KvHeads * HeadDim);
                Add(p + "self_attn.o_proj.bias", Hidden);
            }

            Add(p + "post_attention_layernorm.weight", Hidden);
            Add(p + "mlp.gate_proj.weight", Inner, Hidden);
            Add(p + "mlp.up_proj.weight", Inner, Hidden);
            Add(p + "mlp.down_proj.weight", Hidden, Inner);
        }

        Add("model.norm.weight", Hidden);
        if (!tied)
        {
            Add("lm_head.weight", Vocab, Hidden);
        }

        return w;
    }

    public static void WriteSafetensors(string path, SortedDictionary<string, (long[] Shape, float[] Data)> weights, SafetensorsDType dtype = SafetensorsDType.F32) =>
        SafetensorsWriter.Write(path, weights.Select(p => new SafetensorsTensor(p.Key, p.Value.Shape, p.Value.Data, dtype)),
            new Dictionary<string, string> { ["format"] = "pt" });

    /// <summary>Writes config.json + model.safetensors (no tokenizer) as transformers' save_pretrained lays them out.</summary>
    public static string WriteDirectory(string directory, SortedDictionary<string, (long[] Shape, float[] Data)> weights, JsonObject config,
        SafetensorsDType dtype = SafetensorsDType.F32)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString());
        WriteSafetensors(Path.Combine(directory, "model.safetensors"), weights, dtype);
        return directory;
    }
}
