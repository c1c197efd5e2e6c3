namespace Pipelines.Tuning;

/// <summary>Options of <see cref="TpeSampler"/>; the defaults are Optuna's.</summary>
public sealed record TpeSamplerOptions
{
    /// <summary>Trials drawn by the startup sampler before TPE takes over. Default 10.</summary>
    public int NStartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from the "good" estimator per suggestion. Default 24.</summary>
    public int NEiCandidates { get; init; } = 24;

    /// <summary>Add the prior kernel. Default true.</summary>
    public bool ConsiderPrior { get; init; } = true;

    /// <summary>Weight of the prior kernel. Default 1.</summary>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>Clip kernel bandwidths from below (Bergstra's "magic clip"). Default true.</summary>
    public bool ConsiderMagicClip { get; init; } = true;

    /// <summary>Let range ends widen the outermost kernels. Default false.</summary>
    public bool ConsiderEndpoints { get; init; } = false;

    /// <summary>Draw the parameters seen in every trial jointly (multivariate TPE). Default false.</summary>
    public bool Multivariate { get; init; } = false;

    /// <summary>With <see cref="Multivariate"/>, draw each group of co-occurring parameters jointly (for conditional spaces). Default false.</summary>
    public bool Group { get; init; } = false;

    /// <summary>Treat running trials as bad results so parallel workers spread out. Default false.</summary>
    public bool ConstantLiar { get; init; } = false;

    /// <summary>Number of "good" trials for n finished ones. Default min(ceil(0.1 n), 25).</summary>
    public Func<int, int> Gamma { get; init; } = DefaultGamma;

    /// <summary>Observation weights for n observations, oldest first. Default: Optuna's ramp (older than the newest 25 weigh less).</summary>
    public Func<int, double[]> Weights { get; init; } = Internal.ParzenEstimator.DefaultWeights;

    /// <summary>Sampler for the startup trials and for parameters TPE cannot model. Default a <see cref="RandomSampler"/> with the TPE seed.</summary>
    public ISampler? StartupSampler { get; init; }

    /// <summary>Optuna's default gamma: min(ceil(0.1 n), 25).</summary>
    public static int DefaultGamma(int n) => Math.Min((int)Math.Ceiling(0.1 * n), 25);

    internal void Validate()
    {
        if (NStartupTrials < 0)
        {
            throw new ArgumentException($"n_startup_trials must be 0 or more, but got {NStartupTrials}.");
        }

        if (NEiCandidates < 1)
        {
            throw new ArgumentException($"n_ei_candidates must be at least 1, but got {NEiCandidates}.");
        }

        if (!(PriorWeight > 0))
        {
            throw new ArgumentException($"prior_weight must be greater than 0, but got {PriorWeight}.");
        }

        if (Group && !Multivariate)
        {
            throw new ArgumentException("group needs multivariate: true.");
        }
    }
}
