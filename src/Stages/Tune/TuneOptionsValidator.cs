using FluentValidation;
using Pipelines.Tuning;

namespace Pipelines.Stages.Tune;

/// <summary>Checks <see cref="TuneOptions"/>, including the search space, sampler and pruner specifications.</summary>
internal sealed class TuneOptionsValidator : AbstractValidator<TuneOptions>
{
    public TuneOptionsValidator()
    {
        RuleFor(o => o.Objective).NotEmpty().Must(o => o != "tune").WithMessage("'objective' cannot be 'tune' itself.");
        RuleFor(o => o.Metric).NotEmpty();
        RuleFor(o => o.NTrials).InclusiveBetween(1, 100_000);
        RuleFor(o => o.NJobs).InclusiveBetween(1, 256);
        RuleFor(o => o.Timeout).GreaterThan(0).When(o => o.Timeout is not null);
        RuleFor(o => o.SearchSpace).Custom((space, context) =>
        {
            if (space.Count == 0) { context.AddFailure("search_space", "'search_space' must name at least one parameter."); return; }
            try { SearchSpace.Parse(space); }
            catch (ArgumentException ex) { context.AddFailure("search_space", ex.Message); }
        });
        RuleFor(o => o.Sampler).Custom((sampler, context) =>
        {
            try { SamplerFactory.Create(sampler, 0); }
            catch (ArgumentException ex) { context.AddFailure("sampler", ex.Message); }
        });
        RuleFor(o => o.Storage).Custom((storage, context) =>
        {
            if (storage is null) return;
            if (!StorageLocation.IsPostgres(storage)) { context.AddFailure("storage", $"'storage' must be a postgresql://user@host:port/database URL, but got '{StorageLocation.Redacted(storage)}'."); return; }
            try { PostgresStorage.ConnectionStringFromUrl(storage); }
            catch (ArgumentException ex) { context.AddFailure("storage", $"'storage': {ex.Message}"); }
        });
        RuleFor(o => o.Pruner).Custom((pruner, context) =>
        {
            try { PrunerFactory.Create(pruner); }
            catch (ArgumentException ex) { context.AddFailure("pruner", ex.Message); }
        });
    }
}
