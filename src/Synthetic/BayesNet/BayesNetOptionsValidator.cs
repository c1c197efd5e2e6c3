using FluentValidation;

namespace Pipelines.Synthetic;

/// <summary>Checks <see cref="BayesNetOptions"/>; messages name the field and the value entered.</summary>
public sealed class BayesNetOptionsValidator : AbstractValidator<BayesNetOptions>
{
    /// <summary>Creates the rules.</summary>
    public BayesNetOptionsValidator()
    {
        RuleFor(o => o.Degree).InclusiveBetween(0, 3).WithMessage(o => $"'degree' must be between 0 and 3. You entered {o.Degree}.");
        RuleFor(o => o.MaxBins).InclusiveBetween(2, 1000).WithMessage(o => $"'max_bins' must be between 2 and 1000. You entered {o.MaxBins}.");
        RuleFor(o => o.ConditionBudget).GreaterThanOrEqualTo(1).WithMessage(o => $"'condition_budget' must be at least 1. You entered {o.ConditionBudget}.");
    }
}
