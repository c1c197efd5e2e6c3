using FluentValidation;

namespace Pipelines.Synthetic;

/// <summary>Checks <see cref="GaussianCopulaOptions"/>; messages name the field and the bad value.</summary>
public sealed class GaussianCopulaOptionsValidator : AbstractValidator<GaussianCopulaOptions>
{
    /// <summary>Creates the rules.</summary>
    public GaussianCopulaOptionsValidator()
    {
        RuleFor(o => o.Families).NotEmpty()
            .WithMessage("'families' must name at least one distribution.");
        RuleFor(o => o.EmpiricalThreshold).InclusiveBetween(0.0, 1.0)
            .WithMessage(o => $"'empirical_threshold' must be between 0 and 1. You entered {o.EmpiricalThreshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        RuleFor(o => o.QuantileCount).InclusiveBetween(2, 1_000_000)
            .WithMessage(o => $"'quantile_count' must be between 2 and 1000000. You entered {o.QuantileCount}.");
        RuleFor(o => o.ConditionBudget).GreaterThanOrEqualTo(1)
            .WithMessage(o => $"'condition_budget' must be at least 1. You entered {o.ConditionBudget}.");
    }
}
