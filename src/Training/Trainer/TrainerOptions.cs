namespace Pipelines.Training;

/// <summary>Optimiser, schedule and loop settings. Plain data; checked by <see cref="TrainerOptionsValidator"/>.</summary>
public sealed record TrainerOptions
{
    /// <summary>Peak learning rate of AdamW (default 5e-4).</summary>
    public double LearningRate { get; init; } = 5e-4;

    /// <summary>AdamW decoupled weight decay (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>AdamW β1 (default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW β2 (default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>AdamW ε (default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Optimiser steps of linear warm-up from 0 to the peak rate (default 0); cosine decay to 0 follows.</summary>
    public int WarmupSteps { get; init; }

    /// <summary>Passes over the training data (default 1); ignored when <see cref="MaxSteps"/> is set.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Optimiser steps to run; 0 (default) means as many as <see cref="Epochs"/> give.</summary>
    public int MaxSteps { get; init; }

    /// <summary>Gradient-norm clipping threshold; 0 turns clipping off (default 1).</summary>
    public double MaxGradNorm { get; init; } = 1.0;

    /// <summary>Micro-batches whose gradients are summed per optimiser step (default 1).</summary>
    public int GradientAccumulation { get; init; } = 1;

    /// <summary>Token budget of a micro-batch: rows × padded length stays within it (default 4096).</summary>
    public int TokensPerBatch { get; init; } = 4096;

    /// <summary>Most rows in a micro-batch (default 32).</summary>
    public int MaxBatchSize { get; init; } = 32;

    /// <summary>Evaluate on the validation set every this many optimiser steps; 0 (default) evaluates after each epoch.</summary>
    public int EvalEvery { get; init; }

    /// <summary>Stop after this many evaluations without a better validation loss; 0 (default) never stops early.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>Where to write checkpoints and resume from; null (default) means no checkpoints.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Write a checkpoint every this many optimiser steps (default 0: only at evaluations and on cancellation).</summary>
    public int CheckpointEvery { get; init; }

    /// <summary>Seed of data order, initialisation and dropout (default 0).</summary>
    public long Seed { get; init; }

    /// <summary>
    /// LibTorch intra-op threads (default 1: bit-identical results on any machine; 0 = all cores, faster for large
    /// models but the last bits then depend on the core count).
    /// </summary>
    public int Threads { get; init; } = 1;
}
