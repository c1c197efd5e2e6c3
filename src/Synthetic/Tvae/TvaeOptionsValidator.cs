using FluentValidation;

namespace Pipelines.Synthetic;

/// <summary>Checks <see cref="TvaeOptions"/>; messages name the field and the bad value.</summary>
public sealed class TvaeOptionsValidator : AbstractValidator<TvaeOptions>
{
    /// <summary>Creates the rules.</summary>
    public TvaeOptionsValidator()
    {
        RuleFor(o => o.Epochs).InclusiveBetween(1, 100_000).WithMessage(o => $"'epochs' must be between 1 and 100000. You entered {o.Epochs}.");
        RuleFor(o => o.BatchSize).InclusiveBetween(2, 1_000_000).WithMessage(o => $"'batch_size' must be between 2 and 1000000. You entered {o.BatchSize}.");
        RuleFor(o => o.LatentDim).InclusiveBetween(1, 4096).WithMessage(o => $"'latent_dim' must be between 1 and 4096. You entered {o.LatentDim}.");
        RuleFor(o => o.HiddenDims).NotEmpty().WithMessage("'hidden_dims' must list at least one layer width.");
        RuleForEach(o => o.HiddenDims).InclusiveBetween(1, 16384).WithMessage((_, v) => $"'hidden_dims' widths must be between 1 and 16384. You entered {v}.");
        RuleFor(o => o.LearningRate).GreaterThan(0).LessThanOrEqualTo(1)
            .WithMessage(o => $"'learning_rate' must be in (0, 1]. You entered {o.LearningRate.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        RuleFor(o => o.WeightDecay).GreaterThanOrEqualTo(0)
            .WithMessage(o => $"'weight_decay' must be at least 0. You entered {o.WeightDecay.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        RuleFor(o => o.LossFactor).GreaterThan(0)
            .WithMessage(o => $"'loss_factor' must be greater than 0. You entered {o.LossFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        RuleFor(o => o.SampleBatchSize).InclusiveBetween(1, 1 << 20).WithMessage(o => $"'sample_batch_size' must be between 1 and 1048576. You entered {o.SampleBatchSize}.");
        RuleFor(o => o.ConditionBudget).GreaterThanOrEqualTo(1).WithMessage(o => $"'condition_budget' must be at least 1. You entered {o.ConditionBudget}.");
    }
}
