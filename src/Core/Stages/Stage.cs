using System.Reflection;
using FluentValidation;
using Pipelines.Core.Definition;

namespace Pipelines.Core;

/// <summary>Base class of stage kinds with a typed options record.</summary>
/// <typeparam name="TOptions">Options bound from <c>with:</c>; snake_case keys map to PascalCase properties.</typeparam>
public abstract class Stage<TOptions> : IStage where TOptions : class
{
    /// <summary>What every stage depends on: the Parquet library that writes its tables.</summary>
    private static readonly IReadOnlyDictionary<string, string> CoreLibraries = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Parquet.Net"] = LibraryVersion.Of(typeof(Parquet.ParquetWriter)),
    };

    static Stage() => StageConventions.EnsureConfigured();

    /// <inheritdoc />
    public abstract string Kind { get; }

    /// <inheritdoc />
    public virtual string Version => "1";

    /// <inheritdoc />
    public Type OptionsType => typeof(TOptions);

    /// <inheritdoc />
    public abstract IReadOnlyList<StagePort> Inputs { get; }

    /// <inheritdoc />
    public abstract IReadOnlyList<StagePort> Outputs { get; }

    /// <inheritdoc />
    public virtual IReadOnlyDictionary<string, string> LibraryVersions => CoreLibraries;

    /// <inheritdoc />
    public virtual bool InvokesStages => false;

    /// <inheritdoc />
    public virtual IReadOnlyCollection<string> OptionsOutsideFingerprint => [];

    /// <summary>The validator of the options, or null when any value the binder accepts is valid.</summary>
    protected virtual IValidator<TOptions>? Validator => null;

    /// <inheritdoc />
    public IEnumerable<string> Validate(object options) => ValidateOptions(options).Select(p => p.Message);

    /// <inheritdoc />
    public IEnumerable<OptionProblem> ValidateOptions(object options)
    {
        if (Validator is not { } validator) return [];
        var result = validator.Validate((TOptions)options);
        return result.Errors.Select(e => new OptionProblem(OptionOf(e.PropertyName), e.ErrorMessage));
    }

    /// <summary>The top-level YAML key of a validator's property path (<c>Lora.Rank</c> → <c>lora</c>, <c>Constraints[0]</c> → <c>constraints</c>).</summary>
    private static string? OptionOf(string? propertyPath)
    {
        if (string.IsNullOrEmpty(propertyPath)) return null;
        string first = propertyPath.Split('.')[0];
        int index = first.IndexOf('[', StringComparison.Ordinal);
        if (index >= 0) first = first[..index];
        var property = typeof(TOptions).GetProperty(first, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        // A rule may name its failure in YAML terms already (context.AddFailure("method", ...)).
        return property is not null ? OptionsBinder.JsonName(property) : first;
    }

    /// <inheritdoc />
    public Task RunAsync(StageContext context, CancellationToken cancellationToken) =>
        RunAsync(context, context.GetOptions<TOptions>(), cancellationToken);

    /// <summary>Runs the stage with its bound, validated options.</summary>
    protected abstract Task RunAsync(StageContext context, TOptions options, CancellationToken cancellationToken);
}
