namespace Pipelines.Tuning;

/// <summary>A <see cref="PercentilePruner"/> at the 50th percentile, and nothing more.</summary>
public sealed class MedianPruner : PercentilePruner
{
    /// <summary>Creates the pruner; see <see cref="PercentilePruner"/> for the parameters and defaults.</summary>
    public MedianPruner(int nStartupTrials = 5, int nWarmupSteps = 0, int intervalSteps = 1, int nMinTrials = 1)
        : base(50, nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials)
    {
    }
}
