using FluentValidation;
using Pipelines.Training.Packaged;

namespace Pipelines.Training.Embed;

/// <summary>Checks <see cref="EmbedStageOptions"/>; every message names the field and the value entered.</summary>
public sealed class EmbedStageOptionsValidator : AbstractValidator<EmbedStageOptions>
{
    /// <summary>Creates the rules.</summary>
    public EmbedStageOptionsValidator()
    {
        RuleFor(o => o.Column).NotEmpty().WithMessage("'column' must name the String column to embed.");
        RuleFor(o => o.OutputColumn).NotEmpty().WithMessage("'output_column' must not be empty.");
        RuleFor(o => o.Model)
            .Must(s => s is not null && s.StartsWith(PackagedModels.Scheme, StringComparison.Ordinal)
                && PackagedModels.Known.Any(m => string.Equals(PackagedModels.Scheme + m.Name, s, StringComparison.OrdinalIgnoreCase)))
            .WithMessage(o => $"'model' must be one of {string.Join(", ", PackagedModels.Known.Select(m => PackagedModels.Scheme + m.Name))}. You entered '{o.Model}'.");
        RuleFor(o => o.BatchSize).InclusiveBetween(1, EmbedConstants.MaxBatchSize)
            .WithMessage(o => $"'batch_size' must be between 1 and {EmbedConstants.MaxBatchSize}. You entered {o.BatchSize}.");
        RuleFor(o => o.MaxLength).InclusiveBetween(2, EmbedConstants.MaxMaxLength)
            .WithMessage(o => $"'max_length' must be between 2 and {EmbedConstants.MaxMaxLength}. You entered {o.MaxLength}.");
        RuleFor(o => o.Threads).InclusiveBetween(1, EmbedConstants.MaxThreads)
            .WithMessage(o => $"'threads' must be between 1 and {EmbedConstants.MaxThreads}. You entered {o.Threads}.");
    }
}
