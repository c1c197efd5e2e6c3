namespace Pipelines.Tuning;

/// <summary>Options of <see cref="GpSampler"/>.</summary>
public sealed record GpSamplerOptions
{
    /// <summary>Trials drawn by the startup sampler before the GP takes over. Default 10.</summary>
    public int NStartupTrials { get; init; } = 10;

    /// <summary>Random candidates scored by the acquisition function per suggestion. Default 1024.</summary>
    public int NCandidates { get; init; } = 1024;

    /// <summary>Best candidates refined by a local pattern search. Default 5.</summary>
    public int NLocalSearches { get; init; } = 5;

    /// <summary>Sampler for startup trials and for parameters outside the joint space. Default a <see cref="RandomSampler"/> with the GP seed.</summary>
    public ISampler? StartupSampler { get; init; }

    internal void Validate()
    {
        if (NStartupTrials < 1)
        {
            throw new ArgumentException($"n_startup_trials must be at least 1, but got {NStartupTrials}.");
        }

        if (NCandidates < 1)
        {
            throw new ArgumentException($"n_candidates must be at least 1, but got {NCandidates}.");
        }

        if (NLocalSearches < 0)
        {
            throw new ArgumentException($"n_local_searches must be 0 or more, but got {NLocalSearches}.");
        }
    }
}
