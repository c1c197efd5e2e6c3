namespace Pipelines.Training;

/// <summary>What the stages need to know of a model configuration, whatever its layout (<c>model_type</c>).</summary>
public interface IModelConfig
{
    /// <summary>Hugging Face <c>model_type</c>: <c>gpt2</c> or <c>llama</c>.</summary>
    string ModelType { get; }

    /// <summary>Vocabulary size.</summary>
    int VocabSize { get; }

    /// <summary>Longest sequence the model accepts (<c>n_positions</c> / <c>max_position_embeddings</c>).</summary>
    int Positions { get; }
}
