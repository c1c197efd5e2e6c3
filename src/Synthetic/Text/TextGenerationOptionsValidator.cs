using FluentValidation;

namespace Pipelines.Synthetic.Text;

/// <summary>Checks <see cref="TextGenerationOptions"/>; messages name the field and the bad value.</summary>
public sealed class TextGenerationOptionsValidator : AbstractValidator<TextGenerationOptions>
{
    /// <summary>Declares the rules.</summary>
    public TextGenerationOptionsValidator()
    {
        RuleFor(o => o.MaxNewTokens).InclusiveBetween(1, 100_000)
            .WithMessage("'max_new_tokens' must be between 1 and 100000. You entered {PropertyValue}.");
        RuleFor(o => o.Temperature).Must(t => t >= 0 && double.IsFinite(t))
            .WithMessage("'temperature' must be 0 (greedy) or positive. You entered {PropertyValue}.");
        RuleFor(o => o.TopK).GreaterThanOrEqualTo(0)
            .WithMessage("'top_k' must be 0 (off) or positive. You entered {PropertyValue}.");
        RuleFor(o => o.TopP).Must(p => p > 0 && p <= 1)
            .WithMessage("'top_p' must be greater than 0 and at most 1. You entered {PropertyValue}.");
        RuleFor(o => o.BatchSize).InclusiveBetween(1, 4096)
            .WithMessage("'batch_size' must be between 1 and 4096. You entered {PropertyValue}.");
        RuleFor(o => o.StopStrings).NotNull()
            .WithMessage("'stop_strings' must be a list (it may be empty).");
        RuleForEach(o => o.StopStrings).NotEmpty()
            .WithMessage("'stop_strings' must not contain an empty string.");
    }
}
