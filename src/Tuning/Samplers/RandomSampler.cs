using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Draws every parameter independently and uniformly (on the log scale for log distributions). Each value
/// depends only on the seed, the trial number and the parameter name, so runs are reproducible even with
/// several parallel jobs.
/// </summary>
public sealed class RandomSampler : ISampler
{
    private readonly long _seed;

    /// <summary>Creates the sampler.</summary>
    /// <param name="seed">Seed; default null draws a fresh one.</param>
    public RandomSampler(long? seed = null)
    {
        _seed = Seeds.Resolve(seed);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
        => new Dictionary<string, Distribution>();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
        => new Dictionary<string, double>();

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(distribution);
        return Draw(_seed, trial.Number, name, distribution);
    }

    internal static double Draw(long seed, int trialNumber, string name, Distribution distribution)
        => distribution.FromUnit(DeterministicRandom.For(seed, trialNumber, name).NextDouble());
}
