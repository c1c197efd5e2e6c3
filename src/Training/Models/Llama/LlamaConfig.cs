using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Training;

/// <summary>
/// A Llama configuration in Hugging Face's <c>config.json</c> names (<c>hidden_size</c>, <c>num_key_value_heads</c>...).
/// Defaults are transformers' <c>LlamaConfig</c> defaults where a key is absent.
/// </summary>
public sealed record LlamaConfig : IModelConfig
{
    /// <summary>The <c>model_type</c> this layout reads and writes.</summary>
    public const string Type = "llama";

    /// <inheritdoc />
    public string ModelType => Type;

    /// <summary>Vocabulary size (<c>vocab_size</c>, default 32000).</summary>
    public int VocabSize { get; init; } = 32000;

    /// <summary>Hidden size (<c>hidden_size</c>, default 4096).</summary>
    public int HiddenSize { get; init; } = 4096;

    /// <summary>SwiGLU inner size (<c>intermediate_size</c>, default 11008).</summary>
    public int IntermediateSize { get; init; } = 11008;

    /// <summary>Decoder layers (<c>num_hidden_layers</c>, default 32).</summary>
    public int Layers { get; init; } = 32;

    /// <summary>Query heads (<c>num_attention_heads</c>, default 32).</summary>
    public int Heads { get; init; } = 32;

    /// <summary>Key/value heads for grouped-query attention (<c>num_key_value_heads</c>; default = <see cref="Heads"/>).</summary>
    public int? KeyValueHeads { get; init; }

    /// <summary>Width of one head (<c>head_dim</c>; default <see cref="HiddenSize"/> / <see cref="Heads"/>).</summary>
    public int? HeadDim { get; init; }

    /// <summary>Largest sequence length (<c>max_position_embeddings</c>, default 2048).</summary>
    public int Positions { get; init; } = 2048;

    /// <summary>RMSNorm epsilon (<c>rms_norm_eps</c>, default 1e-6).</summary>
    public double RmsNormEpsilon { get; init; } = 1e-6;

    /// <summary>Rotary base θ (<c>rope_theta</c>, default 10000).</summary>
    public double RopeTheta { get; init; } = 10000;

    /// <summary>Whether <c>lm_head</c> shares the token embedding (<c>tie_word_embeddings</c>, default false).</summary>
    public bool TieWordEmbeddings { get; init; }

    /// <summary>Biases on q/k/v/o projections (<c>attention_bias</c>, default false).</summary>
    public bool AttentionBias { get; init; }

    /// <summary>Biases on gate/up/down projections (<c>mlp_bias</c>, default false).</summary>
    public bool MlpBias { get; init; }

    /// <summary>Dropout on attention weights (<c>attention_dropout</c>, default 0).</summary>
    public double AttentionDropout { get; init; }

    /// <summary>MLP activation (<c>hidden_act</c>); only <c>silu</c> (SwiGLU) is supported.</summary>
    public string HiddenAct { get; init; } = "silu";

    /// <summary>Beginning-of-sequence token id (<c>bos_token_id</c>, default 1).</summary>
    public int BosTokenId { get; init; } = 1;

    /// <summary>End-of-sequence token id (<c>eos_token_id</c>, default 2; the first when it is a list).</summary>
    public int EosTokenId { get; init; } = 2;

    /// <summary>The key/value head count actually used.</summary>
    public int KeyValueHeadCount => KeyValueHeads ?? Heads;

    /// <summary>The head width actually used.</summary>
    public int HeadSize => HeadDim ?? (Heads > 0 ? HiddenSize / Heads : 0);

    /// <summary>Checks that the sizes make a model.</summary>
    /// <exception cref="ArgumentException">A size is not positive, heads do not fit together, or the activation is not SwiGLU.</exception>
    public void Validate()
    {
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(IntermediateSize, "intermediate_size");
        Positive(Layers, "num_hidden_layers");
        Positive(Heads, "num_attention_heads");
        Positive(KeyValueHeadCount, "num_key_value_heads");
        Positive(Positions, "max_position_embeddings");
        if (HeadDim is null && HiddenSize % Heads != 0)
        {
            throw new ArgumentException($"'hidden_size' ({HiddenSize}) must be divisible by 'num_attention_heads' ({Heads}), or 'head_dim' must be given.");
        }

        Positive(HeadSize, "head_dim");
        if (HeadSize % 2 != 0)
        {
            throw new ArgumentException($"'head_dim' must be even for rotary position embeddings. It is {HeadSize}.");
        }

        if (Heads % KeyValueHeadCount != 0)
        {
            throw new ArgumentException($"'num_attention_heads' ({Heads}) must be divisible by 'num_key_value_heads' ({KeyValueHeadCount}).");
        }

        if (!(RmsNormEpsilon > 0))
        {
            throw new ArgumentException($"'rms_norm_eps' must be greater than 0. You entered {Invariant(RmsNormEpsilon)}.");
        }

        if (!(RopeTheta > 0))
        {
            throw new ArgumentException($"'rope_theta' must be greater than 0. You entered {Invariant(RopeTheta)}.");
        }

        if (AttentionDropout is < 0 or >= 1)
        {
            throw new ArgumentException($"'attention_dropout' must be at least 0 and below 1. You entered {Invariant(AttentionDropout)}.");
        }

        if (HiddenAct != "silu")
        {
            throw new ArgumentException($"'hidden_act' must be 'silu' (SwiGLU). You entered '{HiddenAct}'.");
        }
    }

    /// <summary>Reads a Hugging Face <c>config.json</c> with <c>model_type: llama</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, has another model_type, a field has the wrong type, or the sizes do not make a model (the message names the file and the field).</exception>
    public static LlamaConfig Load(string path)
    {
        var o = ConfigJson.ReadObject(path);
        var d = new LlamaConfig();
        try
        {
            if (ConfigJson.String(o, "model_type") is { } type && type != Type)
            {
                throw new ArgumentException($"'model_type' is '{type}', not '{Type}'.");
            }

            var rope = RopeParameters(o);
            var config = new LlamaConfig
            {
                VocabSize = ConfigJson.Int(o, "vocab_size") ?? d.VocabSize,
                HiddenSize = ConfigJson.Int(o, "hidden_size") ?? d.HiddenSize,
                IntermediateSize = ConfigJson.Int(o, "intermediate_size") ?? d.IntermediateSize,
                Layers = ConfigJson.Int(o, "num_hidden_layers") ?? d.Layers,
                Heads = ConfigJson.Int(o, "num_attention_heads") ?? d.Heads,
                KeyValueHeads = ConfigJson.Int(o, "num_key_value_heads"),
                HeadDim = ConfigJson.Int(o, "head_dim"),
                Positions = ConfigJson.Int(o, "max_position_embeddings") ?? d.Positions,
                RmsNormEpsilon = ConfigJson.Double(o, "rms_norm_eps") ?? d.RmsNormEpsilon,
                RopeTheta = ConfigJson.Double(o, "rope_theta") ?? (rope is null ? null : ConfigJson.Double(rope, "rope_theta")) ?? d.RopeTheta,
                TieWordEmbeddings = ConfigJson.Bool(o, "tie_word_embeddings") ?? d.TieWordEmbeddings,
                AttentionBias = ConfigJson.Bool(o, "attention_bias") ?? d.AttentionBias,
                MlpBias = ConfigJson.Bool(o, "mlp_bias") ?? d.MlpBias,
                AttentionDropout = ConfigJson.Double(o, "attention_dropout") ?? d.AttentionDropout,
                HiddenAct = ConfigJson.String(o, "hidden_act") ?? d.HiddenAct,
                BosTokenId = ConfigJson.FirstInt(o, "bos_token_id") ?? d.BosTokenId,
                EosTokenId = ConfigJson.FirstInt(o, "eos_token_id") ?? d.EosTokenId,
            };
            config.Validate();
            return config;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Model config '{path}': {e.Message}", e);
        }
    }

    /// <summary>Writes <c>config.json</c> in Hugging Face's layout for <c>LlamaForCausalLM</c>.</summary>
    public void Save(string path)
    {
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["attention_bias"] = AttentionBias,
            ["attention_dropout"] = AttentionDropout,
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = EosTokenId,
            ["head_dim"] = HeadDim,
            ["hidden_act"] = HiddenAct,
            ["hidden_size"] = HiddenSize,
            ["initializer_range"] = 0.02,
            ["intermediate_size"] = IntermediateSize,
            ["max_position_embeddings"] = Positions,
            ["mlp_bias"] = MlpBias,
            ["model_type"] = Type,
            ["num_attention_heads"] = Heads,
            ["num_hidden_layers"] = Layers,
            ["num_key_value_heads"] = KeyValueHeadCount,
            ["rms_norm_eps"] = RmsNormEpsilon,
            ["rope_scaling"] = null,
            ["rope_theta"] = RopeTheta,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["torch_dtype"] = "float32",
            ["vocab_size"] = VocabSize,
        };
        File.WriteAllText(path, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    // rope_scaling (transformers 4.x) or rope_parameters (5.x): only the default rotary embedding is implemented.
    private static JsonObject? RopeParameters(JsonObject o)
    {
        foreach (var key in new[] { "rope_scaling", "rope_parameters" })
        {
            if (o[key] is null)
            {
                continue;
            }

            if (o[key] is not JsonObject rope)
            {
                throw new ArgumentException($"'{key}' must be an object or null.");
            }

            var type = ConfigJson.String(rope, "rope_type") ?? ConfigJson.String(rope, "type") ?? "default";
            if (type != "default")
            {
                throw new ArgumentException($"'{key}' has rope_type '{type}'; only the default rotary embedding is supported.");
            }

            if (key == "rope_parameters")
            {
                return rope;
            }
        }

        return null;
    }

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"'{name}' must be at least 1. You entered {value}.");
        }
    }
}
