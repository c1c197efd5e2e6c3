namespace Pipelines.Training.Tests;

/// <summary>Builds tiny GPT-2 weight sets in Hugging Face naming with known (seeded) values.</summary>
internal static class TinyGpt2
{
    public const int Vocab = 13, Positions = 16, Embd = 8, Layers = 2, Heads = 2, Inner = 32;

    public static Gpt2Config Config => new()
    {
        VocabSize = Vocab, Positions = Positions, Embedding = Embd, Layers = Layers, Heads = Heads, Inner = Inner,
        ResidualDropout = 0, EmbeddingDropout = 0, AttentionDropout = 0, EosTokenId = 0,
    };

    /// <summary>HF-named weights (Conv1D layout [in, out]) with values drawn from a seeded generator.</summary>
    public static SortedDictionary<string, (long[] Shape, float[] Data)> Weights(int seed)
    {
        var random = new Random(seed);
        var w = new SortedDictionary<string, (long[], float[])>(StringComparer.Ordinal);
        void Add(string name, params long[] shape)
        {
            var n = shape.Aggregate(1L, (a, b) => a * b);
            var scale = name.Contains("ln_") && name.EndsWith("weight") ? 0.2f : 0.5f;
            var offset = name.Contains("ln_") && name.EndsWith("weight") ? 1f : 0f;
            w[name] = (shape, Enumerable.Range(0, (int)n).Select(_ => offset + scale * (float)(random.NextDouble() * 2 - 1)).ToArray());
        }

        Add("wte.weight", Vocab, Embd);
        Add("wpe.weight", Positions, Embd);
        for (var l = 0; l < Layers; l++)
        {
            Add($"h.{l}.ln_1.weight", Embd);
            Add($"h.{l}.ln_1.bias", Embd);
            Add($"h.{l}.attn.c_attn.weight", Embd, 3 * Embd);
            Add($"h.{l}.attn.c_attn.bias", 3 * Embd);
            Add($"h.{l}.attn.c_proj.weight", Embd, Embd);
            Add($"h.{l}.attn.c_proj.bias", Embd);
            Add($"h.{l}.ln_2.weight", Embd);
            Add($"h.{l}.ln_2.bias", Embd);
            Add($"h.{l}.mlp.c_fc.weight", Embd, Inner);
            Add($"h.{l}.mlp.c_fc.bias", Inner);
            Add($"h.{l}.mlp.c_proj.weight", Inner, Embd);
            Add($"h.{l}.mlp.c_proj.bias", Embd);
        }

        Add("ln_f.weight", Embd);
        Add("ln_f.bias", Embd);
        return w;
    }

    public static void WriteSafetensors(string path, SortedDictionary<string, (long[] Shape, float[] Data)> weights, string prefix) =>
        SafetensorsWriter.Write(path, weights.Select(p => new SafetensorsTensor(prefix + p.Key, p.Value.Shape, p.Value.Data)));
}
