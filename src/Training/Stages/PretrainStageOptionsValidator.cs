using System.Globalization;
using FluentValidation;

namespace Pipelines.Training;

/// <summary>Validates <see cref="PretrainStageOptions"/>; every message names the YAML field and the bad value.</summary>
public sealed class PretrainStageOptionsValidator : AbstractValidator<PretrainStageOptions>
{
    /// <summary>Creates the rules.</summary>
    public PretrainStageOptionsValidator()
    {
        RuleFor(o => o.TextColumn).NotEmpty().WithMessage("'text_column' must name a column.");
        RuleFor(o => o.VocabSize).InclusiveBetween(257, 65536).WithMessage(o => $"'vocab_size' must be between 257 and 65536. You entered {o.VocabSize}.");
        RuleFor(o => o.MinFrequency).GreaterThan(0).WithMessage(o => $"'min_frequency' must be at least 1. You entered {o.MinFrequency}.");
        RuleFor(o => o.TokenizerRows).GreaterThan(0).WithMessage(o => $"'tokenizer_rows' must be at least 1. You entered {o.TokenizerRows}.");
        RuleFor(o => o.NEmbd).GreaterThan(0).WithMessage(o => $"'n_embd' must be at least 1. You entered {o.NEmbd}.");
        RuleFor(o => o.NLayer).GreaterThan(0).WithMessage(o => $"'n_layer' must be at least 1. You entered {o.NLayer}.");
        RuleFor(o => o.NHead).GreaterThan(0).WithMessage(o => $"'n_head' must be at least 1. You entered {o.NHead}.");
        RuleFor(o => o).Must(o => o.NHead <= 0 || o.NEmbd % o.NHead == 0).WithMessage(o => $"'n_embd' ({o.NEmbd}) must be divisible by 'n_head' ({o.NHead}).");
        RuleFor(o => o.NKvHead).GreaterThanOrEqualTo(0).WithMessage(o => $"'n_kv_head' must be 0 (= n_head) or more. You entered {o.NKvHead}.");
        RuleFor(o => o).Must(o => o.NKvHead <= 0 || o.NHead % o.NKvHead == 0).WithMessage(o => $"'n_head' ({o.NHead}) must be divisible by 'n_kv_head' ({o.NKvHead}).");
        RuleFor(o => o).Must(o => o.Architecture != ModelArchitecture.Gpt2 || o.NKvHead == 0).WithMessage(o => $"'n_kv_head' applies to architecture llama only. You entered {o.NKvHead} with gpt2.");
        RuleFor(o => o).Must(o => o.Architecture != ModelArchitecture.Llama || o.NHead <= 0 || o.NEmbd % o.NHead != 0 || o.NEmbd / o.NHead % 2 == 0)
            .WithMessage(o => $"'n_embd' / 'n_head' ({o.NEmbd} / {o.NHead}) must be even for llama's rotary embeddings.");
        RuleFor(o => o.NPositions).GreaterThanOrEqualTo(2).WithMessage(o => $"'n_positions' must be at least 2. You entered {o.NPositions}.");
        RuleFor(o => o.Dropout).InclusiveBetween(0, 0.9).WithMessage(o => $"'dropout' must be between 0 and 0.9. You entered {I(o.Dropout)}.");
        RuleFor(o => o.ValidationFraction).InclusiveBetween(0, 0.5).WithMessage(o => $"'validation_fraction' must be between 0 and 0.5. You entered {I(o.ValidationFraction)}.");
        RuleFor(o => o.ToTrainerOptions(0)).SetValidator(new TrainerOptionsValidator()).OverridePropertyName("options");
    }

    private static string I(double value) => value.ToString(CultureInfo.InvariantCulture);
}
