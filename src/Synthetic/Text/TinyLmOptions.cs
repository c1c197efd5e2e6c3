namespace Pipelines.Synthetic.Text;

/// <summary>Shape and training budget of a tiny character-level language model (<see cref="TinyLmTrainer"/>).</summary>
public sealed class TinyLmOptions
{
    /// <summary>Width of token vectors. Default 64.</summary>
    public int EmbeddingSize { get; set; } = 64;

    /// <summary>Number of transformer blocks. Default 2.</summary>
    public int Layers { get; set; } = 2;

    /// <summary>Attention heads per block; must divide <see cref="EmbeddingSize"/>. Default 4.</summary>
    public int Heads { get; set; } = 4;

    /// <summary>Longest sequence (prompt plus generated tokens) the model can see. Default 256.</summary>
    public int ContextLength { get; set; } = 256;

    /// <summary>Length of the training windows; at most <see cref="ContextLength"/>. Default 64.</summary>
    public int SequenceLength { get; set; } = 64;

    /// <summary>Windows per optimisation step. Default 16.</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Number of optimisation steps. Default 300.</summary>
    public int Steps { get; set; } = 300;

    /// <summary>AdamW learning rate. Default 0.003.</summary>
    public double LearningRate { get; set; } = 3e-3;
}
