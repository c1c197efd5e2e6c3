namespace Pipelines.Training;

/// <summary>Options of the <c>pretrain</c> stage (YAML <c>with:</c>, snake_case). Defaults in each summary.</summary>
public sealed class PretrainStageOptions
{
    /// <summary>Text column of the corpus table (default <c>text</c>).</summary>
    public string TextColumn { get; set; } = "text";

    /// <summary>Tokenizer vocabulary size including 256 bytes and end-of-text (default 2048).</summary>
    public int VocabSize { get; set; } = 2048;

    /// <summary>Least frequency of a pair to be merged (default 2).</summary>
    public int MinFrequency { get; set; } = 2;

    /// <summary>Rows the tokenizer is trained on, from the start of the table (default 20000).</summary>
    public int TokenizerRows { get; set; } = 20000;

    /// <summary>Model layout: <c>gpt2</c> (default) or <c>llama</c>.</summary>
    public ModelArchitecture Architecture { get; set; } = ModelArchitecture.Gpt2;

    /// <summary>Llama only: key/value heads <c>num_key_value_heads</c> for grouped-query attention; 0 (default) = <see cref="NHead"/>.</summary>
    public int NKvHead { get; set; }

    /// <summary>Hidden size <c>n_embd</c> (default 128).</summary>
    public int NEmbd { get; set; } = 128;

    /// <summary>Blocks <c>n_layer</c> (default 4).</summary>
    public int NLayer { get; set; } = 4;

    /// <summary>Attention heads <c>n_head</c> (default 4).</summary>
    public int NHead { get; set; } = 4;

    /// <summary>Context length <c>n_positions</c>; longer texts are truncated (default 128).</summary>
    public int NPositions { get; set; } = 128;

    /// <summary>Dropout for residual, embedding and attention (default 0.1).</summary>
    public double Dropout { get; set; } = 0.1;

    /// <summary>Peak learning rate (default 1e-3).</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Linear warm-up steps (default 20).</summary>
    public int WarmupSteps { get; set; } = 20;

    /// <summary>Passes over the corpus (default 1).</summary>
    public int Epochs { get; set; } = 1;

    /// <summary>Optimiser steps; 0 (default) = as many as <see cref="Epochs"/> give.</summary>
    public int MaxSteps { get; set; }

    /// <summary>Most rows per batch (default 32).</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Token budget per batch (default 4096).</summary>
    public int TokensPerBatch { get; set; } = 4096;

    /// <summary>Share of rows held out to report validation loss (default 0.05; 0 = none).</summary>
    public double ValidationFraction { get; set; } = 0.05;

    /// <summary>
    /// LibTorch intra-op threads (default 1: the trained weights are bit-identical on any machine; 0 = all cores,
    /// faster for large models, but the last bits then depend on the core count).
    /// </summary>
    public int Threads { get; set; } = 1;

    /// <summary>The trainer settings these options describe.</summary>
    public TrainerOptions ToTrainerOptions(long seed) => new()
    {
        LearningRate = LearningRate,
        WarmupSteps = WarmupSteps,
        Epochs = Epochs,
        MaxSteps = MaxSteps,
        MaxBatchSize = BatchSize,
        TokensPerBatch = TokensPerBatch,
        Seed = seed,
        Threads = Threads,
    };

    /// <summary>
    /// The Llama configuration these options describe: <c>hidden_size</c> = n_embd, <c>intermediate_size</c> = 8/3 · n_embd
    /// rounded up to a multiple of 16 (LLaMA's SwiGLU sizing), tied embeddings, <c>dropout</c> as attention dropout.
    /// </summary>
    public LlamaConfig ToLlamaConfig(int vocabSize, int eos) => new()
    {
        VocabSize = vocabSize,
        Positions = NPositions,
        HiddenSize = NEmbd,
        IntermediateSize = (8 * NEmbd / 3 + 15) / 16 * 16,
        Layers = NLayer,
        Heads = NHead,
        KeyValueHeads = NKvHead > 0 ? NKvHead : NHead,
        TieWordEmbeddings = true,
        AttentionDropout = Dropout,
        RmsNormEpsilon = 1e-5,
        BosTokenId = eos,
        EosTokenId = eos,
    };

    /// <summary>The model configuration these options describe, for a vocabulary of <paramref name="vocabSize"/> with end-of-text id <paramref name="eos"/>.</summary>
    public Gpt2Config ToConfig(int vocabSize, int eos) => new()
    {
        VocabSize = vocabSize,
        Positions = NPositions,
        Embedding = NEmbd,
        Layers = NLayer,
        Heads = NHead,
        ResidualDropout = Dropout,
        EmbeddingDropout = Dropout,
        AttentionDropout = Dropout,
        EosTokenId = eos,
    };
}
