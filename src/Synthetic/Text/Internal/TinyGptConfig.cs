namespace Pipelines.Synthetic.Text.Internal;

/// <summary>Shape of a tiny decoder-only transformer.</summary>
internal sealed record TinyGptConfig(int VocabularySize, int EmbeddingSize, int Layers, int Heads, int ContextLength)
{
    public int HeadSize => EmbeddingSize / Heads;

    public int FeedForwardSize => 4 * EmbeddingSize;
}
