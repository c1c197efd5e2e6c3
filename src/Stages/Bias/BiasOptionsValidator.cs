using FluentValidation;

namespace Pipelines.Stages.Bias;

/// <summary>Checks <see cref="BiasOptions"/>; every message names the field and the value entered.</summary>
public sealed class BiasOptionsValidator : AbstractValidator<BiasOptions>
{
    /// <summary>Creates the rules.</summary>
    public BiasOptionsValidator()
    {
        RuleFor(o => o.Label).NotEmpty().WithMessage("'label' must name the label column.");
        RuleFor(o => o.Sensitive).NotEmpty().WithMessage("'sensitive' must list at least one column.");
        RuleFor(o => o.Thresholds.DisparateImpactMin).Must(v => v is null or (> 0 and <= 1))
            .WithMessage(o => $"'thresholds.disparate_impact_min' must be in (0, 1]. You entered {F(o.Thresholds.DisparateImpactMin)}.");
        RuleFor(o => o.Thresholds.ParityDifferenceMax).Must(v => v is null or (>= 0 and <= 1))
            .WithMessage(o => $"'thresholds.parity_difference_max' must be between 0 and 1. You entered {F(o.Thresholds.ParityDifferenceMax)}.");
        RuleFor(o => o.Thresholds.MinGroupShare).Must(v => v is null or (>= 0 and <= 1))
            .WithMessage(o => $"'thresholds.min_group_share' must be between 0 and 1. You entered {F(o.Thresholds.MinGroupShare)}.");
        RuleForEach(o => o.Bins).Must(kv => kv.Value.Count > 0 && kv.Value.Zip(kv.Value.Skip(1)).All(p => p.Second > p.First))
            .WithMessage((o, kv) => $"'bins.{kv.Key}' must be a non-empty list of strictly ascending edges. You entered [{string.Join(", ", kv.Value.Select(v => F(v)))}].");
        RuleFor(o => o.Confidence).Must(c => c > 0 && c < 1)
            .WithMessage(o => $"'confidence' must be between 0 and 1. You entered {F(o.Confidence)}.");
        RuleFor(o => o.Bootstrap).InclusiveBetween(0, BiasConstants.MaxBootstrap)
            .WithMessage(o => $"'bootstrap' must be between 0 and {BiasConstants.MaxBootstrap}. You entered {o.Bootstrap}.");
        RuleFor(o => o.MinGroupSize).GreaterThanOrEqualTo(0)
            .WithMessage(o => $"'min_group_size' must be at least 0. You entered {o.MinGroupSize}.");
        RuleFor(o => o.MaxDegreeOfParallelism).Must(m => m == -1 || m >= 1)
            .WithMessage(o => $"'max_degree_of_parallelism' must be -1 (all cores) or at least 1. You entered {o.MaxDegreeOfParallelism}.");
        RuleForEach(o => o.ReferenceGroup).Must((o, kv) => o.Sensitive.Contains(kv.Key))
            .WithMessage((o, kv) => $"'reference_group.{kv.Key}' names a column that is not in 'sensitive'.");
        RuleForEach(o => o.Reference).Must(kv => kv.Value.Values.All(v => v > 0 && v <= 1))
            .WithMessage((o, kv) => $"'reference.{kv.Key}' shares must be in (0, 1].");
    }

    private static string F(double? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "null";
}
