using FluentValidation;
using Pipelines.Training;

namespace Pipelines.Eval;

/// <summary>Validates <see cref="EvalStageOptions"/>; messages name the YAML field and the bad value.</summary>
public sealed class EvalStageOptionsValidator : AbstractValidator<EvalStageOptions>
{
    /// <summary>Creates the rules.</summary>
    public EvalStageOptionsValidator()
    {
        RuleFor(o => o.MaxLength).GreaterThanOrEqualTo(2).WithMessage(o => $"'max_length' must be at least 2. You entered {o.MaxLength}.");
        RuleFor(o => o.BatchSize).GreaterThan(0).WithMessage(o => $"'batch_size' must be at least 1. You entered {o.BatchSize}.");
        RuleFor(o => o.ProbeRows).GreaterThanOrEqualTo(0).WithMessage(o => $"'probe_rows' must be 0 (all training rows) or more. You entered {o.ProbeRows}.");
        RuleFor(o => o.ProbeL2).GreaterThan(0).WithMessage(o => $"'probe_l2' must be above 0. You entered {o.ProbeL2.ToString(System.Globalization.CultureInfo.InvariantCulture)}.");
        RuleFor(o => o).Must(o => !o.LinearProbe || o.Task == TrainingTask.Classification).WithMessage("'linear_probe' applies to task classification only.");
        RuleFor(o => o.TextColumn).NotEmpty().WithMessage("'text_column' must name a column.");
        RuleFor(o => o).Must(o => (o.PromptColumn is null) == (o.ResponseColumn is null))
            .WithMessage("'prompt_column' and 'response_column' must be set together.");
        RuleFor(o => o.SensitiveColumns).Must(c => c.Count == 0).When(o => o.Task == TrainingTask.CausalLm)
            .WithMessage("'sensitive_columns' applies to task classification only.");
    }
}
