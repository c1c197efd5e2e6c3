namespace Pipelines.Core;

/// <summary>
/// A stage kind: a deterministic function from input artifacts and options to output artifacts.
/// Implement <see cref="Stage{TOptions}"/> rather than this interface directly.
/// </summary>
public interface IStage
{
    /// <summary>The name used in <c>uses:</c> (<c>dedup</c>).</summary>
    string Kind { get; }

    /// <summary>Bumped when the stage's behaviour changes; part of every fingerprint.</summary>
    string Version { get; }

    /// <summary>The options type bound from the YAML <c>with:</c> map (snake_case keys).</summary>
    Type OptionsType { get; }

    /// <summary>Named inputs.</summary>
    IReadOnlyList<StagePort> Inputs { get; }

    /// <summary>Named outputs.</summary>
    IReadOnlyList<StagePort> Outputs { get; }

    /// <summary>Versions of the libraries the results depend on (part of the fingerprint and the run log).</summary>
    IReadOnlyDictionary<string, string> LibraryVersions { get; }

    /// <summary>
    /// Options (snake_case <c>with:</c> keys) that say where the stage keeps its working state rather than what it
    /// computes, such as <c>tune</c>'s <c>storage</c>: left out of the fingerprint, as a scratch directory is.
    /// </summary>
    IReadOnlyCollection<string> OptionsOutsideFingerprint => [];

    /// <summary>Checks bound options; returns one message per problem, each naming the field.</summary>
    IEnumerable<string> Validate(object options);

    /// <summary>
    /// Checks bound options; each problem carries the option it is about, so a pipeline error points at that
    /// option's line. The default knows no option (the line is then the stage's); <see cref="Stage{TOptions}"/> maps
    /// its validator's property names.
    /// </summary>
    IEnumerable<OptionProblem> ValidateOptions(object options) => Validate(options).Select(m => new OptionProblem(null, m));

    /// <summary>
    /// Whether the stage runs other stages (<see cref="StageContext.Stages"/>), as <c>tune</c> runs its trials. Such a
    /// coordinator stays in the driver's process under any executor, since its invoker exists only there; the stages it
    /// invokes go through the executor.
    /// </summary>
    bool InvokesStages => false;

    /// <summary>Runs the stage: reads inputs and writes outputs through <paramref name="context"/>.</summary>
    Task RunAsync(StageContext context, CancellationToken cancellationToken);
}
