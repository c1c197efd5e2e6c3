namespace Pipelines.Tuning;

/// <summary>
/// Chooses parameter values. Values cross this interface in the internal representation (see
/// <see cref="Distribution"/>): a float's value, an integer's value, or a categorical choice's index.
/// </summary>
/// <remarks>
/// Samplers are called concurrently when a study runs several jobs; implementations must be thread-safe.
/// A sampler derives its randomness from its seed and the trial number, so the same seed and the same
/// history give the same suggestions.
/// </remarks>
public interface ISampler
{
    /// <summary>The parameters this sampler wants to draw jointly for <paramref name="trial"/> (empty for independent samplers).</summary>
    IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial);

    /// <summary>Draws values for the relative search space at the start of the trial.</summary>
    IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace);

    /// <summary>Draws one parameter that the relative space did not cover.</summary>
    double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution);

    /// <summary>Called when a trial starts, before any parameter is drawn.</summary>
    void BeforeTrial(Study study, FrozenTrial trial)
    {
    }

    /// <summary>Called when a trial ends, before its state is stored.</summary>
    void AfterTrial(Study study, FrozenTrial trial, TrialState state, double? value)
    {
    }
}
