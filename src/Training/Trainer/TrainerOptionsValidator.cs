using System.Globalization;
using FluentValidation;

namespace Pipelines.Training;

/// <summary>Validates <see cref="TrainerOptions"/>; messages name the YAML field and the bad value.</summary>
public sealed class TrainerOptionsValidator : AbstractValidator<TrainerOptions>
{
    /// <summary>Creates the rules.</summary>
    public TrainerOptionsValidator()
    {
        RuleFor(o => o.LearningRate).GreaterThan(0).WithMessage(o => $"'learning_rate' must be greater than 0. You entered {I(o.LearningRate)}.");
        RuleFor(o => o.WeightDecay).GreaterThanOrEqualTo(0).WithMessage(o => $"'weight_decay' must be at least 0. You entered {I(o.WeightDecay)}.");
        RuleFor(o => o.Beta1).InclusiveBetween(0, 0.999999).WithMessage(o => $"'beta1' must be between 0 and 1. You entered {I(o.Beta1)}.");
        RuleFor(o => o.Beta2).InclusiveBetween(0, 0.999999).WithMessage(o => $"'beta2' must be between 0 and 1. You entered {I(o.Beta2)}.");
        RuleFor(o => o.Epsilon).GreaterThan(0).WithMessage(o => $"'epsilon' must be greater than 0. You entered {I(o.Epsilon)}.");
        RuleFor(o => o.WarmupSteps).GreaterThanOrEqualTo(0).WithMessage(o => $"'warmup_steps' must be at least 0. You entered {o.WarmupSteps}.");
        RuleFor(o => o.Epochs).GreaterThan(0).WithMessage(o => $"'epochs' must be at least 1. You entered {o.Epochs}.");
        RuleFor(o => o.MaxSteps).GreaterThanOrEqualTo(0).WithMessage(o => $"'max_steps' must be at least 0. You entered {o.MaxSteps}.");
        RuleFor(o => o.MaxGradNorm).GreaterThanOrEqualTo(0).WithMessage(o => $"'max_grad_norm' must be at least 0. You entered {I(o.MaxGradNorm)}.");
        RuleFor(o => o.GradientAccumulation).GreaterThan(0).WithMessage(o => $"'gradient_accumulation' must be at least 1. You entered {o.GradientAccumulation}.");
        RuleFor(o => o.TokensPerBatch).GreaterThan(0).WithMessage(o => $"'tokens_per_batch' must be at least 1. You entered {o.TokensPerBatch}.");
        RuleFor(o => o.MaxBatchSize).GreaterThan(0).WithMessage(o => $"'batch_size' must be at least 1. You entered {o.MaxBatchSize}.");
        RuleFor(o => o.EvalEvery).GreaterThanOrEqualTo(0).WithMessage(o => $"'eval_every' must be at least 0. You entered {o.EvalEvery}.");
        RuleFor(o => o.EarlyStoppingPatience).GreaterThanOrEqualTo(0).WithMessage(o => $"'early_stopping_patience' must be at least 0. You entered {o.EarlyStoppingPatience}.");
        RuleFor(o => o.Threads).GreaterThanOrEqualTo(0).WithMessage(o => $"'threads' must be at least 0 (0 = all cores). You entered {o.Threads}.");
        RuleFor(o => o.CheckpointEvery).GreaterThanOrEqualTo(0).WithMessage(o => $"'checkpoint_every' must be at least 0. You entered {o.CheckpointEvery}.");
    }

    private static string I(double value) => value.ToString(CultureInfo.InvariantCulture);
}
