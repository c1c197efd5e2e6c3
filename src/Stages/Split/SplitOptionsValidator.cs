using FluentValidation;

namespace Pipelines.Stages.Split;

/// <summary>Checks <see cref="SplitOptions"/>.</summary>
internal sealed class SplitOptionsValidator : AbstractValidator<SplitOptions>
{
    public SplitOptionsValidator()
    {
        RuleFor(o => o.Train).InclusiveBetween(0, 1);
        RuleFor(o => o.Validation).InclusiveBetween(0, 1);
        RuleFor(o => o.Test).InclusiveBetween(0, 1);
        RuleFor(o => o).Must(o => Math.Abs(o.Train + o.Validation + o.Test - 1) < 1e-9)
            .WithName("train")
            .WithMessage(o => $"'train' + 'validation' + 'test' must be 1. You entered {o.Train} + {o.Validation} + {o.Test} = {o.Train + o.Validation + o.Test}.");
        RuleFor(o => o.Key).Must(k => k is null || k.Count > 0).WithMessage("'key' must list at least one column when given.");
    }
}
