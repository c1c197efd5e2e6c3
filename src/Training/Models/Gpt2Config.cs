using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Training;

/// <summary>
/// A GPT-2 configuration in Hugging Face's <c>config.json</c> names (<c>n_embd</c>, <c>n_layer</c>...).
/// Defaults are GPT-2's where a key is absent.
/// </summary>
public sealed record Gpt2Config : IModelConfig
{
    /// <inheritdoc />
    public string ModelType => "gpt2";

    /// <summary>Vocabulary size (<c>vocab_size</c>, default 50257).</summary>
    public int VocabSize { get; init; } = 50257;

    /// <summary>Largest sequence length (<c>n_positions</c>, default 1024).</summary>
    public int Positions { get; init; } = 1024;

    /// <summary>Hidden size (<c>n_embd</c>, default 768).</summary>
    public int Embedding { get; init; } = 768;

    /// <summary>Number of blocks (<c>n_layer</c>, default 12).</summary>
    public int Layers { get; init; } = 12;

    /// <summary>Attention heads (<c>n_head</c>, default 12); must divide <see cref="Embedding"/>.</summary>
    public int Heads { get; init; } = 12;

    /// <summary>MLP inner size (<c>n_inner</c>; default 4 × <see cref="Embedding"/>).</summary>
    public int? Inner { get; init; }

    /// <summary>LayerNorm epsilon (<c>layer_norm_epsilon</c>, default 1e-5).</summary>
    public double LayerNormEpsilon { get; init; } = 1e-5;

    /// <summary><c>gelu_new</c> (tanh approximation, GPT-2's default) or <c>gelu</c> (exact).</summary>
    public string Activation { get; init; } = "gelu_new";

    /// <summary>Residual dropout (<c>resid_pdrop</c>, default 0.1).</summary>
    public double ResidualDropout { get; init; } = 0.1;

    /// <summary>Embedding dropout (<c>embd_pdrop</c>, default 0.1).</summary>
    public double EmbeddingDropout { get; init; } = 0.1;

    /// <summary>Attention dropout (<c>attn_pdrop</c>, default 0.1).</summary>
    public double AttentionDropout { get; init; } = 0.1;

    /// <summary>End-of-text token id (<c>eos_token_id</c>, default 50256); also used as padding.</summary>
    public int EosTokenId { get; init; } = 50256;

    /// <summary>The MLP inner size actually used.</summary>
    public int InnerSize => Inner ?? 4 * Embedding;

    /// <summary>Checks that the sizes make a model.</summary>
    /// <exception cref="ArgumentException">A size is not positive or heads do not divide the hidden size.</exception>
    public void Validate()
    {
        Positive(VocabSize, "vocab_size");
        Positive(Positions, "n_positions");
        Positive(Embedding, "n_embd");
        Positive(Layers, "n_layer");
        Positive(Heads, "n_head");
        Positive(InnerSize, "n_inner");
        if (Embedding % Heads != 0)
        {
            throw new ArgumentException($"'n_embd' ({Embedding}) must be divisible by 'n_head' ({Heads}).");
        }

        if (Activation is not ("gelu_new" or "gelu" or "gelu_pytorch_tanh"))
        {
            throw new ArgumentException($"'activation_function' must be gelu_new, gelu_pytorch_tanh or gelu. You entered '{Activation}'.");
        }
    }

    /// <summary>Reads a Hugging Face <c>config.json</c>.</summary>
    /// <exception cref="InvalidDataException">The file is not a JSON object or a field has the wrong type.</exception>
    public static Gpt2Config Load(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model config '{path}' is not valid JSON: {e.Message}", e);
        }

        if (root is not JsonObject o)
        {
            throw new InvalidDataException($"Model config '{path}' must be a JSON object.");
        }

        if (o["model_type"]?.GetValue<string>() is { } type && type != "gpt2")
        {
            throw new InvalidDataException($"Model config '{path}' has model_type '{type}'; only 'gpt2' is supported.");
        }

        var d = new Gpt2Config();
        try
        {
            var config = new Gpt2Config
            {
                VocabSize = Int(o, "vocab_size") ?? d.VocabSize,
                Positions = Int(o, "n_positions") ?? d.Positions,
                Embedding = Int(o, "n_embd") ?? d.Embedding,
                Layers = Int(o, "n_layer") ?? d.Layers,
                Heads = Int(o, "n_head") ?? d.Heads,
                Inner = Int(o, "n_inner"),
                LayerNormEpsilon = Double(o, "layer_norm_epsilon") ?? d.LayerNormEpsilon,
                Activation = o["activation_function"]?.GetValue<string>() ?? d.Activation,
                ResidualDropout = Double(o, "resid_pdrop") ?? d.ResidualDropout,
                EmbeddingDropout = Double(o, "embd_pdrop") ?? d.EmbeddingDropout,
                AttentionDropout = Double(o, "attn_pdrop") ?? d.AttentionDropout,
                EosTokenId = Int(o, "eos_token_id") ?? d.EosTokenId,
            };
            config.Validate();
            return config;
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Model config '{path}': {e.Message}", e);
        }
    }

    /// <summary>Writes <c>config.json</c> in Hugging Face's layout for <c>GPT2LMHeadModel</c>.</summary>
    public void Save(string path)
    {
        var o = new JsonObject
        {
            ["activation_function"] = Activation,
            ["architectures"] = new JsonArray("GPT2LMHeadModel"),
            ["attn_pdrop"] = AttentionDropout,
            ["bos_token_id"] = EosTokenId,
            ["embd_pdrop"] = EmbeddingDropout,
            ["eos_token_id"] = EosTokenId,
            ["layer_norm_epsilon"] = LayerNormEpsilon,
            ["model_type"] = "gpt2",
            ["n_embd"] = Embedding,
            ["n_head"] = Heads,
            ["n_inner"] = Inner,
            ["n_layer"] = Layers,
            ["n_positions"] = Positions,
            ["resid_pdrop"] = ResidualDropout,
            ["tie_word_embeddings"] = true,
            ["torch_dtype"] = "float32",
            ["vocab_size"] = VocabSize,
        };
        File.WriteAllText(path, o.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static int? Int(JsonObject o, string key) => o[key] is { } n ? n.GetValue<int>() : null;

    private static double? Double(JsonObject o, string key) =>
        o[key] is { } n ? Convert.ToDouble(n.GetValue<JsonElement>().GetDouble(), CultureInfo.InvariantCulture) : null;

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"'{name}' must be at least 1. You entered {value}.");
        }
    }
}
