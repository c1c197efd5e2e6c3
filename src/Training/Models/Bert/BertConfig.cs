using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Training;

/// <summary>
/// A BERT configuration in Hugging Face's <c>config.json</c> names. Defaults are transformers' <c>BertConfig</c>
/// defaults (bert-base) where a key is absent.
/// </summary>
public sealed record BertConfig : IModelConfig
{
    /// <summary>The <c>model_type</c> this layout reads and writes.</summary>
    public const string Type = "bert";

    /// <inheritdoc />
    public string ModelType => Type;

    /// <summary>Vocabulary size (<c>vocab_size</c>, default 30522).</summary>
    public int VocabSize { get; init; } = 30522;

    /// <summary>Hidden size (<c>hidden_size</c>, default 768).</summary>
    public int HiddenSize { get; init; } = 768;

    /// <summary>Encoder layers (<c>num_hidden_layers</c>, default 12).</summary>
    public int Layers { get; init; } = 12;

    /// <summary>Attention heads (<c>num_attention_heads</c>, default 12).</summary>
    public int Heads { get; init; } = 12;

    /// <summary>MLP inner size (<c>intermediate_size</c>, default 3072).</summary>
    public int IntermediateSize { get; init; } = 3072;

    /// <summary>Largest sequence length (<c>max_position_embeddings</c>, default 512).</summary>
    public int Positions { get; init; } = 512;

    /// <summary>Segment vocabulary (<c>type_vocab_size</c>, default 2).</summary>
    public int TypeVocabSize { get; init; } = 2;

    /// <summary>LayerNorm epsilon (<c>layer_norm_eps</c>, default 1e-12).</summary>
    public double LayerNormEpsilon { get; init; } = 1e-12;

    /// <summary>Dropout on embeddings and sublayer outputs (<c>hidden_dropout_prob</c>, default 0.1).</summary>
    public double HiddenDropout { get; init; } = 0.1;

    /// <summary>Dropout on attention weights (<c>attention_probs_dropout_prob</c>, default 0.1).</summary>
    public double AttentionDropout { get; init; } = 0.1;

    /// <summary>MLP activation (<c>hidden_act</c>); only <c>gelu</c> (the erf form) is supported.</summary>
    public string HiddenAct { get; init; } = "gelu";

    /// <summary>Padding token id (<c>pad_token_id</c>, default 0).</summary>
    public int PadTokenId { get; init; }

    /// <summary>The width of one head.</summary>
    public int HeadSize => Heads > 0 ? HiddenSize / Heads : 0;

    /// <summary>all-MiniLM-L6-v2's configuration (6 layers × 384, 12 heads).</summary>
    public static BertConfig MiniLmL6 { get; } = new() { HiddenSize = 384, Layers = 6, Heads = 12, IntermediateSize = 1536 };

    /// <summary>Checks that the sizes make a model.</summary>
    /// <exception cref="ArgumentException">A size is not positive, heads do not divide the width, or the activation is not GELU.</exception>
    public void Validate()
    {
        Positive(VocabSize, "vocab_size");
        Positive(HiddenSize, "hidden_size");
        Positive(Layers, "num_hidden_layers");
        Positive(Heads, "num_attention_heads");
        Positive(IntermediateSize, "intermediate_size");
        Positive(Positions, "max_position_embeddings");
        Positive(TypeVocabSize, "type_vocab_size");
        if (HiddenSize % Heads != 0)
        {
            throw new ArgumentException($"'hidden_size' ({HiddenSize}) must be divisible by 'num_attention_heads' ({Heads}).");
        }

        if (!(LayerNormEpsilon > 0))
        {
            throw new ArgumentException($"'layer_norm_eps' must be greater than 0. You entered {Invariant(LayerNormEpsilon)}.");
        }

        Probability(HiddenDropout, "hidden_dropout_prob");
        Probability(AttentionDropout, "attention_probs_dropout_prob");
        if (HiddenAct != "gelu")
        {
            throw new ArgumentException($"'hidden_act' must be 'gelu'. You entered '{HiddenAct}'.");
        }
    }

    /// <summary>Reads a Hugging Face <c>config.json</c> with <c>model_type: bert</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not JSON, has another model_type, a field has the wrong type, or the sizes do not make a model.</exception>
    public static BertConfig Load(string path)
    {
        var o = ConfigJson.ReadObject(path);
        var d = new BertConfig();
        try
        {
            if (ConfigJson.String(o, "model_type") is { } type && type != Type)
            {
                throw new ArgumentException($"'model_type' is '{type}', not '{Type}'.");
            }

            var config = new BertConfig
            {
                VocabSize = ConfigJson.Int(o, "vocab_size") ?? d.VocabSize,
                HiddenSize = ConfigJson.Int(o, "hidden_size") ?? d.HiddenSize,
                Layers = ConfigJson.Int(o, "num_hidden_layers") ?? d.Layers,
                Heads = ConfigJson.Int(o, "num_attention_heads") ?? d.Heads,
                IntermediateSize = ConfigJson.Int(o, "intermediate_size") ?? d.IntermediateSize,
                Positions = ConfigJson.Int(o, "max_position_embeddings") ?? d.Positions,
                TypeVocabSize = ConfigJson.Int(o, "type_vocab_size") ?? d.TypeVocabSize,
                LayerNormEpsilon = ConfigJson.Double(o, "layer_norm_eps") ?? d.LayerNormEpsilon,
                HiddenDropout = ConfigJson.Double(o, "hidden_dropout_prob") ?? d.HiddenDropout,
                AttentionDropout = ConfigJson.Double(o, "attention_probs_dropout_prob") ?? d.AttentionDropout,
                HiddenAct = ConfigJson.String(o, "hidden_act") ?? d.HiddenAct,
                PadTokenId = ConfigJson.Int(o, "pad_token_id") ?? d.PadTokenId,
            };
            config.Validate();
            return config;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"Model config '{path}': {e.Message}", e);
        }
    }

    /// <summary>Writes <c>config.json</c> in Hugging Face's layout for <c>BertModel</c>.</summary>
    public void Save(string path)
    {
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray("BertModel"),
            ["attention_probs_dropout_prob"] = AttentionDropout,
            ["hidden_act"] = HiddenAct,
            ["hidden_dropout_prob"] = HiddenDropout,
            ["hidden_size"] = HiddenSize,
            ["initializer_range"] = 0.02,
            ["intermediate_size"] = IntermediateSize,
            ["layer_norm_eps"] = LayerNormEpsilon,
            ["max_position_embeddings"] = Positions,
            ["model_type"] = Type,
            ["num_attention_heads"] = Heads,
            ["num_hidden_layers"] = Layers,
            ["pad_token_id"] = PadTokenId,
            ["position_embedding_type"] = "absolute",
            ["torch_dtype"] = "float32",
            ["type_vocab_size"] = TypeVocabSize,
            ["vocab_size"] = VocabSize,
        };
        File.WriteAllText(path, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static string Invariant(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"'{name}' must be at least 1. You entered {value}.");
        }
    }

    private static void Probability(double value, string name)
    {
        if (value is < 0 or >= 1)
        {
            throw new ArgumentException($"'{name}' must be at least 0 and below 1. You entered {Invariant(value)}.");
        }
    }
}
