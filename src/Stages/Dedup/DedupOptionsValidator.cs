using FluentValidation;

namespace Pipelines.Stages.Dedup;

/// <summary>Checks <see cref="DedupOptions"/>; every message names the field and the value entered.</summary>
public sealed class DedupOptionsValidator : AbstractValidator<DedupOptions>
{
    /// <summary>Creates the rules.</summary>
    public DedupOptionsValidator()
    {
        RuleFor(o => o.Columns).NotEmpty().When(o => o.Mode != DedupMode.Semantic).WithMessage("'columns' must list at least one column.");
        RuleForEach(o => o.Columns).NotEmpty().WithMessage("'columns' must not contain an empty name.");
        RuleFor(o => o.Threshold).Must(t => t > 0 && t < 1)
            .WithMessage(o => $"'threshold' must be between 0 and 1. You entered {F(o.Threshold)}.");
        RuleFor(o => o.NumPerm).InclusiveBetween(1, DedupConstants.MaxNumPerm)
            .WithMessage(o => $"'num_perm' must be between 1 and {DedupConstants.MaxNumPerm}. You entered {o.NumPerm}.");
        RuleFor(o => o.NgramSize).InclusiveBetween(1, DedupConstants.MaxNgramSize)
            .WithMessage(o => $"'ngram_size' must be between 1 and {DedupConstants.MaxNgramSize}. You entered {o.NgramSize}.");
        RuleFor(o => o).Must(o => (o.Bands == 0 && o.Rows == 0) || (o.Bands > 0 && o.Rows > 0 && (long)o.Bands * o.Rows <= o.NumPerm))
            .WithMessage(o => $"'bands' and 'rows' must both be 0 (automatic) or positive with bands × rows ≤ num_perm ({o.NumPerm}). You entered bands={o.Bands}, rows={o.Rows}.");
        RuleFor(o => o).Must(o => o.FalsePositiveWeight >= 0 && o.FalseNegativeWeight >= 0 && o.FalsePositiveWeight + o.FalseNegativeWeight > 0)
            .WithMessage(o => $"'false_positive_weight' and 'false_negative_weight' must be non-negative and not both 0. You entered {F(o.FalsePositiveWeight)} and {F(o.FalseNegativeWeight)}.");
        RuleFor(o => o.NewestBy).NotEmpty().When(o => o.Keep == KeepRule.Newest)
            .WithMessage("'newest_by' must name a column when 'keep' is newest.");
        RuleFor(o => o.EmbeddingColumn).NotEmpty().When(o => o.Mode == DedupMode.Semantic)
            .WithMessage("'embedding_column' must name a list<float> column (e.g. the embed stage's output) when 'mode' is semantic.");
        RuleFor(o => o.CosineThreshold).Must(t => t > 0 && t <= 1)
            .WithMessage(o => $"'cosine_threshold' must be greater than 0 and at most 1. You entered {F(o.CosineThreshold)}.");
        RuleFor(o => o.LshBits).InclusiveBetween(0, DedupConstants.MaxLshBits)
            .WithMessage(o => $"'lsh_bits' must be 0 (automatic) or between 1 and {DedupConstants.MaxLshBits}. You entered {o.LshBits}.");
        RuleFor(o => o.LshTables).InclusiveBetween(0, DedupConstants.MaxLshTables)
            .WithMessage(o => $"'lsh_tables' must be 0 (automatic) or between 1 and {DedupConstants.MaxLshTables}. You entered {o.LshTables}.");
        RuleFor(o => o.MaxDegreeOfParallelism).Must(m => m == -1 || m >= 1)
            .WithMessage(o => $"'max_degree_of_parallelism' must be -1 (all cores) or at least 1. You entered {o.MaxDegreeOfParallelism}.");
    }

    private static string F(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
