using FluentValidation;

namespace Pipelines.Stages.Ingest;

/// <summary>Checks <see cref="IngestOptions"/>.</summary>
internal sealed class IngestOptionsValidator : AbstractValidator<IngestOptions>
{
    public IngestOptionsValidator()
    {
        RuleFor(o => o.Delimiter).Must(d => d is { Length: 1 } || d == "\\t")
            .WithMessage("'delimiter' must be one character (or \\t). You entered '{PropertyValue}'.");
        RuleFor(o => o.RowGroupSize).InclusiveBetween(IngestConstants.MinRowGroupSize, IngestConstants.MaxRowGroupSize);
        RuleFor(o => o.InferRows).GreaterThanOrEqualTo(0);
        RuleFor(o => o.Columns).NotEmpty().When(o => !o.Header)
            .WithMessage("'columns' must list the column names when 'header' is false.");
        RuleFor(o => o.License).Must(l => l is null || IngestConstants.LicensePattern().IsMatch(l))
            .WithMessage("'license' must be an SPDX licence identifier such as CC-BY-4.0 or MIT. You entered '{PropertyValue}'.");
        RuleFor(o => o.Encoding).Must(BeKnownEncoding).WithMessage("'encoding' must be an encoding name such as utf-8 or latin1. You entered '{PropertyValue}'.");
    }

    private static bool BeKnownEncoding(string name)
    {
        try { System.Text.Encoding.GetEncoding(name); return true; }
        catch (ArgumentException) { return false; }
    }
}
