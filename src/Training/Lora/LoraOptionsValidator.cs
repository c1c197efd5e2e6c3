using FluentValidation;

namespace Pipelines.Training;

/// <summary>Validates <see cref="LoraOptions"/>; messages name the YAML field and the bad value.</summary>
public sealed class LoraOptionsValidator : AbstractValidator<LoraOptions>
{
    /// <summary>Creates the rules.</summary>
    public LoraOptionsValidator()
    {
        RuleFor(o => o.Rank).GreaterThan(0).WithMessage(o => $"'lora.r' must be at least 1. You entered {o.Rank}.");
        RuleFor(o => o.Alpha).GreaterThan(0).WithMessage(o => $"'lora.alpha' must be greater than 0. You entered {Invariant(o.Alpha)}.");
        RuleFor(o => o.Dropout).InclusiveBetween(0, 0.99).WithMessage(o => $"'lora.dropout' must be between 0 and 0.99. You entered {Invariant(o.Dropout)}.");
        RuleFor(o => o.TargetModules).NotEmpty().WithMessage("'lora.target_modules' must name at least one module (for GPT-2: c_attn, c_proj, c_fc).");
    }

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
