using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Seeded Latin hypercube sampling, meant as the startup sampler of <see cref="TpeSampler"/> or
/// <see cref="GpSampler"/>: each block of <see cref="SampleCount"/> consecutive trials puts exactly one
/// value in each of the <see cref="SampleCount"/> equal strata of every parameter (on its own scale).
/// </summary>
public sealed class LatinHypercubeSampler : ISampler
{
    private readonly long _seed;

    /// <summary>Creates the sampler.</summary>
    /// <param name="sampleCount">Trials per Latin hypercube block (usually the startup trial count), at least 1.</param>
    /// <param name="seed">Seed; default null draws a fresh one.</param>
    public LatinHypercubeSampler(int sampleCount, long? seed = null)
    {
        if (sampleCount < 1)
        {
            throw new ArgumentException($"sample_count must be at least 1, but got {sampleCount}.", nameof(sampleCount));
        }

        SampleCount = sampleCount;
        _seed = Seeds.Resolve(seed);
    }

    /// <summary>Trials per block.</summary>
    public int SampleCount { get; }

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
        int block = trial.Number / SampleCount;
        int slot = trial.Number % SampleCount;

        // The permutation depends on (seed, block, name) only, so every trial of a block agrees on it.
        var perm = DeterministicRandom.For(_seed, block, "lhs:" + name).Permutation(SampleCount);
        double jitter = DeterministicRandom.For(_seed, trial.Number, "lhs-jitter:" + name).NextDouble();
        double u = (perm[slot] + jitter) / SampleCount;
        return distribution.FromUnit(u);
    }
}
