using FluentValidation;

namespace Pipelines.Synthetic.Text;

/// <summary>Checks <see cref="TinyLmOptions"/>; messages name the field and the bad value.</summary>
public sealed class TinyLmOptionsValidator : AbstractValidator<TinyLmOptions>
{
    /// <summary>Declares the rules.</summary>
    public TinyLmOptionsValidator()
    {
        RuleFor(o => o.EmbeddingSize).InclusiveBetween(8, 1024)
            .WithMessage("'embedding_size' must be between 8 and 1024. You entered {PropertyValue}.");
        RuleFor(o => o.Layers).InclusiveBetween(1, 24)
            .WithMessage("'layers' must be between 1 and 24. You entered {PropertyValue}.");
        RuleFor(o => o.Heads).GreaterThanOrEqualTo(1)
            .WithMessage("'heads' must be at least 1. You entered {PropertyValue}.");
        RuleFor(o => o).Must(o => o.Heads < 1 || o.EmbeddingSize % o.Heads == 0)
            .WithName("heads")
            .WithMessage(o => $"'heads' must divide 'embedding_size' ({o.EmbeddingSize}). You entered {o.Heads}.");
        RuleFor(o => o.ContextLength).InclusiveBetween(2, 8192)
            .WithMessage("'context_length' must be between 2 and 8192. You entered {PropertyValue}.");
        RuleFor(o => o.SequenceLength).GreaterThanOrEqualTo(1)
            .WithMessage("'sequence_length' must be at least 1. You entered {PropertyValue}.");
        RuleFor(o => o).Must(o => o.SequenceLength <= o.ContextLength)
            .WithName("sequence_length")
            .WithMessage(o => $"'sequence_length' must be at most 'context_length' ({o.ContextLength}). You entered {o.SequenceLength}.");
        RuleFor(o => o.BatchSize).InclusiveBetween(1, 4096)
            .WithMessage("'batch_size' must be between 1 and 4096. You entered {PropertyValue}.");
        RuleFor(o => o.Steps).GreaterThanOrEqualTo(0)
            .WithMessage("'steps' must be at least 0. You entered {PropertyValue}.");
        RuleFor(o => o.LearningRate).Must(lr => lr > 0 && lr <= 1)
            .WithMessage("'learning_rate' must be greater than 0 and at most 1. You entered {PropertyValue}.");
    }
}
