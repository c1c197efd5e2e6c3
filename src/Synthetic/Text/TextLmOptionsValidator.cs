using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Results;

namespace Pipelines.Synthetic.Text;

/// <summary>Checks <see cref="TextLmOptions"/>; messages name the field (under <c>text_lm</c>) and the bad value.</summary>
public sealed partial class TextLmOptionsValidator : AbstractValidator<TextLmOptions>
{
    private static readonly TinyLmOptionsValidator TrainValidator = new();
    private static readonly TextGenerationOptionsValidator GenerateValidator = new();

    /// <summary>Declares the rules.</summary>
    public TextLmOptionsValidator()
    {
        RuleFor(o => o.TextColumn).NotEmpty()
            .WithMessage("'text_lm.text_column' must name the String column to generate.");
        RuleFor(o => o.Template).NotNull()
            .WithMessage("'text_lm.template' must be text (it may be empty).");
        RuleFor(o => o.Template).Custom((template, context) =>
        {
            if (template is null)
            {
                return;
            }

            try
            {
                PromptTemplate.Parse(template);
            }
            catch (ArgumentException e)
            {
                context.AddFailure("template", "'text_lm.template': " + FirstSentence(e.Message));
            }
        });
        RuleForEach(o => o.CopyColumns).NotEmpty()
            .WithMessage("'text_lm.copy_columns' must not contain an empty name.");
        RuleFor(o => o.Train).NotNull().WithMessage("'text_lm.train' must be a mapping.")
            .Custom((train, context) =>
            {
                if (train is not null)
                {
                    AddNested(context, TrainValidator.Validate(train), "text_lm.train.");
                }
            });
        RuleFor(o => o.Generate).NotNull().WithMessage("'text_lm.generate' must be a mapping.")
            .Custom((generate, context) =>
            {
                if (generate is not null)
                {
                    AddNested(context, GenerateValidator.Validate(generate), "text_lm.generate.");
                }
            });
    }

    // The nested validators name options relative to their own object ('steps'); the user wrote 'text_lm.train.steps'.
    private static void AddNested<T>(ValidationContext<T> context, ValidationResult result, string prefix)
    {
        foreach (var failure in result.Errors)
        {
            context.AddFailure(failure.PropertyName, QuotedOptionName().Replace(failure.ErrorMessage, m => "'" + prefix + m.Groups[1].Value + "'"));
        }
    }

    [GeneratedRegex("'([a-z][a-z0-9_]*)'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedOptionName();

    // ArgumentException appends " (Parameter 'template')"; the user needs the sentence only.
    private static string FirstSentence(string message)
    {
        int parameter = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        return parameter < 0 ? message : message[..parameter];
    }
}
