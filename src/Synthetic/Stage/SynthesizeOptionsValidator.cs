using FluentValidation;

namespace Pipelines.Synthetic;

/// <summary>Checks <see cref="SynthesizeOptions"/> against the registered methods; messages name the field and value.</summary>
public sealed class SynthesizeOptionsValidator : AbstractValidator<SynthesizeOptions>
{
    /// <summary>Creates the rules for the methods of <paramref name="registry"/>.</summary>
    public SynthesizeOptionsValidator(SynthesisMethodRegistry registry)
    {
        RuleFor(o => o.Method).Must(m => registry.Find(m) is not null)
            .WithMessage(o => $"'method' must be one of {string.Join(", ", registry.Names)}. You entered '{o.Method}'.");
        RuleFor(o => o.Rows).Must(r => r is null || r >= 1)
            .WithMessage(o => $"'rows' must be at least 1. You entered {o.Rows}.");
        RuleFor(o => o.PrivacyRows).GreaterThanOrEqualTo(1)
            .WithMessage(o => $"'privacy_rows' must be at least 1. You entered {o.PrivacyRows}.");
        RuleFor(o => o).Must(o => o.Balance is null || (o.Rows is null && (o.Conditions is null || o.Conditions.Count == 0)))
            .WithName("balance")
            .WithMessage("'balance' decides how many rows to generate: leave out 'rows' and 'conditions' when you use it.");
        When(o => o.Balance is not null, () =>
        {
            RuleFor(o => o.Balance!.Column).NotEmpty().WithMessage("'balance.column' must name a column.");
            RuleForEach(o => o.Balance!.Targets).Must(t => t.Value >= 0)
                .WithMessage((_, t) => $"'balance.targets.{t.Key}' must be at least 0. You entered {t.Value}.");
        });
        RuleForEach(o => o.Constraints).Custom((c, context) =>
        {
            string at = $"constraints[{context.PropertyPath.Split('[', ']').ElementAtOrDefault(1) ?? "?"}]";
            bool ok = c.Type switch
            {
                "functional_dependency" => !string.IsNullOrEmpty(c.Determinant) && !string.IsNullOrEmpty(c.Dependent) && c.Determinant != c.Dependent,
                "fixed_combinations" => c.Columns is { Count: 2 } cols && cols[0] != cols[1],
                "inequality" => !string.IsNullOrEmpty(c.Low) && !string.IsNullOrEmpty(c.High) && c.Low != c.High,
                _ => false,
            };
            if (!ok)
            {
                context.AddFailure(at, $"'{at}' must be {{type: functional_dependency, determinant: A, dependent: B}}, {{type: fixed_combinations, columns: [A, B]}} " +
                    $"or {{type: inequality, low: A, high: B}} with two different columns. You entered type '{c.Type}'.");
            }
        });
        RuleFor(o => o).Custom((o, context) =>
        {
            if (registry.Find(o.Method) is { } method)
            {
                foreach (var problem in method.Validate(o))
                {
                    context.AddFailure("method", problem);
                }
            }
        });
    }
}
