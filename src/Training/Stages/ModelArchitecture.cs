namespace Pipelines.Training;

/// <summary>The decoder layout <c>pretrain</c> builds (YAML <c>architecture: gpt2|llama</c>).</summary>
public enum ModelArchitecture
{
    /// <summary>GPT-2: learned positions, LayerNorm, GELU MLP, tied embeddings.</summary>
    Gpt2,

    /// <summary>Llama: rotary positions, RMSNorm, SwiGLU MLP, grouped-query attention (here with tied embeddings).</summary>
    Llama,
}
