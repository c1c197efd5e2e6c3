namespace Pipelines.Training;

/// <summary>Options of the <c>train</c> stage (YAML <c>with:</c>, snake_case). Defaults in each summary.</summary>
public sealed class TrainStageOptions
{
    /// <summary><c>causal_lm</c> (default) or <c>classification</c>.</summary>
    public TrainingTask Task { get; set; } = TrainingTask.CausalLm;

    /// <summary>Text column (default <c>text</c>); used unless prompt/response columns are set.</summary>
    public string TextColumn { get; set; } = "text";

    /// <summary>Prompt column for causal LM with loss on the response only (default none).</summary>
    public string? PromptColumn { get; set; }

    /// <summary>Response column, set together with <see cref="PromptColumn"/> (default none).</summary>
    public string? ResponseColumn { get; set; }

    /// <summary>Label column for classification (default <c>label</c>); values are compared as text.</summary>
    public string LabelColumn { get; set; } = "label";

    /// <summary><c>lora</c> (default) or <c>full</c> fine-tuning.</summary>
    public FineTuningMethod Method { get; set; } = FineTuningMethod.Lora;

    /// <summary>LoRA settings (default r 8, alpha 16, dropout 0.05, target_modules [c_attn]).</summary>
    public LoraOptions Lora { get; set; } = new();

    /// <summary>For classification with LoRA: also train the <c>score</c> head (default true; saved as a PEFT module_to_save).</summary>
    public bool TrainHead { get; set; } = true;

    /// <summary>
    /// Also write the optional <c>model</c> output: the LoRA adapters folded into the base weights (a full model
    /// directory that loads without PEFT, with the head and <c>labels.json</c> for classification), or the fully
    /// fine-tuned model. Default false: the adapter alone is small, and the base model is already in the store.
    /// </summary>
    public bool Merge { get; set; }

    /// <summary>Longest example in tokens; longer ones are truncated (default 128).</summary>
    public int MaxLength { get; set; } = 128;

    /// <summary>Peak learning rate (default 5e-4).</summary>
    public double LearningRate { get; set; } = 5e-4;

    /// <summary>AdamW weight decay (default 0).</summary>
    public double WeightDecay { get; set; }

    /// <summary>Linear warm-up steps (default 0).</summary>
    public int WarmupSteps { get; set; }

    /// <summary>Passes over the data (default 1).</summary>
    public int Epochs { get; set; } = 1;

    /// <summary>Optimiser steps; 0 (default) = as many as <see cref="Epochs"/> give.</summary>
    public int MaxSteps { get; set; }

    /// <summary>Gradient clipping norm; 0 = off (default 1).</summary>
    public double MaxGradNorm { get; set; } = 1.0;

    /// <summary>Micro-batches per optimiser step (default 1).</summary>
    public int GradientAccumulation { get; set; } = 1;

    /// <summary>Most rows per micro-batch (default 16).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Token budget per micro-batch (default 4096).</summary>
    public int TokensPerBatch { get; set; } = 4096;

    /// <summary>Evaluate every N steps; 0 (default) = after each epoch.</summary>
    public int EvalEvery { get; set; }

    /// <summary>Evaluations without improvement before stopping; 0 (default) = never.</summary>
    public int EarlyStoppingPatience { get; set; }

    /// <summary>
    /// LibTorch intra-op threads (default 1: the trained weights are bit-identical on any machine; 0 = all cores,
    /// faster for large models, but the last bits then depend on the core count).
    /// </summary>
    public int Threads { get; set; } = 1;

    /// <summary>The trainer settings these options describe.</summary>
    public TrainerOptions ToTrainerOptions(long seed) => new()
    {
        LearningRate = LearningRate,
        WeightDecay = WeightDecay,
        WarmupSteps = WarmupSteps,
        Epochs = Epochs,
        MaxSteps = MaxSteps,
        MaxGradNorm = MaxGradNorm,
        GradientAccumulation = GradientAccumulation,
        MaxBatchSize = BatchSize,
        TokensPerBatch = TokensPerBatch,
        EvalEvery = EvalEvery,
        EarlyStoppingPatience = EarlyStoppingPatience,
        Seed = seed,
        Threads = Threads,
    };
}
