using FluentValidation;
using Pipelines.Training.Packaged;

namespace Pipelines.Training;

/// <summary>Validates <see cref="ModelStageOptions"/>; the message names the field, the bad value and what is accepted.</summary>
public sealed class ModelStageOptionsValidator : AbstractValidator<ModelStageOptions>
{
    /// <summary>Creates the rules.</summary>
    public ModelStageOptionsValidator()
    {
        RuleFor(o => o.Source)
            .Must(s => s is not null && s.StartsWith(PackagedModels.Scheme, StringComparison.Ordinal)
                && PackagedModels.Known.Any(m => string.Equals(PackagedModels.Scheme + m.Name, s, StringComparison.OrdinalIgnoreCase)))
            .WithMessage(o => $"'source' must be one of {string.Join(", ", PackagedModels.Known.Select(m => PackagedModels.Scheme + m.Name))}. You entered '{o.Source}'.");
    }
}
