using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Synthetic.Text.Internal;

/// <summary>
/// A GPT-style decoder with learned absolute positions, written so that every operation has a
/// one-to-one ONNX counterpart in <see cref="TinyGptOnnxExporter"/>.
/// </summary>
internal sealed class TinyGpt : nn.Module<Tensor, Tensor>
{
    /// <summary>Added to disallowed attention scores; finite so fully masked (padding) rows stay NaN-free.</summary>
    public const float MaskValue = -1e9f;

    public TinyGpt(TinyGptConfig config)
        : base("tiny_gpt")
    {
        Config = config;
        TokenEmbedding = nn.Embedding(config.VocabularySize, config.EmbeddingSize);
        PositionEmbedding = nn.Embedding(config.ContextLength, config.EmbeddingSize);
        Blocks = nn.ModuleList([.. Enumerable.Range(0, config.Layers).Select(_ => new TinyGptBlock(config))]);
        FinalNorm = nn.LayerNorm(config.EmbeddingSize);
        Head = nn.Linear(config.EmbeddingSize, config.VocabularySize);
        RegisterComponents();
    }

    public TinyGptConfig Config { get; }

    public Embedding TokenEmbedding { get; }

    public Embedding PositionEmbedding { get; }

    public ModuleList<TinyGptBlock> Blocks { get; }

    public LayerNorm FinalNorm { get; }

    public Linear Head { get; }

    /// <summary>Logits [batch, seq, vocab] for unpadded token ids [batch, seq].</summary>
    public override Tensor forward(Tensor ids) => Forward(ids, null);

    /// <summary>Logits for left- or right-padded ids; <paramref name="attentionMask"/> is 1 for real tokens.</summary>
    /// <param name="ids">[batch, seq] token ids.</param>
    /// <param name="attentionMask">[batch, seq], 1 for real tokens; null for all ones.</param>
    /// <param name="positionOffsets">[batch, 1] added to every position (training uses it to reach all position embeddings).</param>
    public Tensor Forward(Tensor ids, Tensor? attentionMask, Tensor? positionOffsets = null)
    {
        using var scope = NewDisposeScope();
        long b = ids.shape[0], s = ids.shape[1];
        Tensor mask = attentionMask ?? ones(b, s, ScalarType.Int64, ids.device);

        // Positions count real tokens only, so a left-padded prompt sees the same positions as an unpadded one.
        var positions = mask.cumsum(1).sub(1).clamp_min(0);
        if (positionOffsets is not null)
        {
            positions = positions.add(positionOffsets);
        }

        var x = TokenEmbedding.forward(ids).add(PositionEmbedding.forward(positions));

        var causal = ones(s, s, ScalarType.Bool, ids.device).tril();
        var allowed = causal.unsqueeze(0).unsqueeze(0).logical_and(mask.to(ScalarType.Bool).unsqueeze(1).unsqueeze(1));
        var bias = where(allowed, tensor(0f, device: ids.device), tensor(MaskValue, device: ids.device));
        foreach (var block in Blocks)
        {
            x = block.forward(x, bias);
        }

        return Head.forward(FinalNorm.forward(x)).MoveToOuterDisposeScope();
    }
}
