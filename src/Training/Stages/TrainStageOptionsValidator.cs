using FluentValidation;

namespace Pipelines.Training;

/// <summary>Validates <see cref="TrainStageOptions"/>; every message names the YAML field and the bad value.</summary>
public sealed class TrainStageOptionsValidator : AbstractValidator<TrainStageOptions>
{
    /// <summary>Creates the rules.</summary>
    public TrainStageOptionsValidator()
    {
        RuleFor(o => o.Lora).SetValidator(new LoraOptionsValidator());
        RuleFor(o => o.ToTrainerOptions(0)).SetValidator(new TrainerOptionsValidator()).OverridePropertyName("options");
        RuleFor(o => o.MaxLength).GreaterThanOrEqualTo(2).WithMessage(o => $"'max_length' must be at least 2. You entered {o.MaxLength}.");
        RuleFor(o => o.TextColumn).NotEmpty().WithMessage("'text_column' must name a column.");
        RuleFor(o => o).Must(o => (o.PromptColumn is null) == (o.ResponseColumn is null))
            .WithMessage("'prompt_column' and 'response_column' must be set together.");
        RuleFor(o => o).Must(o => o.Task == TrainingTask.CausalLm || o.PromptColumn is null)
            .WithMessage("'prompt_column' applies to task causal_lm only; classification uses 'text_column' and 'label_column'.");
        RuleFor(o => o.LabelColumn).NotEmpty().When(o => o.Task == TrainingTask.Classification).WithMessage("'label_column' must name a column.");
    }
}
