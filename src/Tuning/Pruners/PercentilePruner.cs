namespace Pipelines.Tuning;

/// <summary>
/// Prunes a trial whose best intermediate value so far is worse than the given percentile of the
/// complete trials' values at the same step (Optuna's PercentilePruner).
/// </summary>
public class PercentilePruner : IPruner
{
    /// <summary>Creates the pruner.</summary>
    /// <param name="percentile">Percentile in [0, 100] of the other trials' values to compare with (for maximisation, 100 − percentile is used).</param>
    /// <param name="nStartupTrials">No pruning until this many trials are complete. Default 5.</param>
    /// <param name="nWarmupSteps">No pruning before this step. Default 0.</param>
    /// <param name="intervalSteps">Check only every this many steps after the warm-up. Default 1.</param>
    /// <param name="nMinTrials">No pruning at a step fewer than this many complete trials reported. Default 1.</param>
    public PercentilePruner(double percentile, int nStartupTrials = 5, int nWarmupSteps = 0, int intervalSteps = 1, int nMinTrials = 1)
    {
        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentException($"percentile must be between 0 and 100, but got {percentile}.", nameof(percentile));
        }

        if (nStartupTrials < 0)
        {
            throw new ArgumentException($"n_startup_trials must be 0 or more, but got {nStartupTrials}.", nameof(nStartupTrials));
        }

        if (nWarmupSteps < 0)
        {
            throw new ArgumentException($"n_warmup_steps must be 0 or more, but got {nWarmupSteps}.", nameof(nWarmupSteps));
        }

        if (intervalSteps < 1)
        {
            throw new ArgumentException($"interval_steps must be at least 1, but got {intervalSteps}.", nameof(intervalSteps));
        }

        if (nMinTrials < 1)
        {
            throw new ArgumentException($"n_min_trials must be at least 1, but got {nMinTrials}.", nameof(nMinTrials));
        }

        Percentile = percentile;
        NStartupTrials = nStartupTrials;
        NWarmupSteps = nWarmupSteps;
        IntervalSteps = intervalSteps;
        NMinTrials = nMinTrials;
    }

    /// <summary>The percentile compared with.</summary>
    public double Percentile { get; }

    /// <summary>Complete trials needed before pruning starts.</summary>
    public int NStartupTrials { get; }

    /// <summary>Steps before which no trial is pruned.</summary>
    public int NWarmupSteps { get; }

    /// <summary>Steps between checks.</summary>
    public int IntervalSteps { get; }

    /// <summary>Complete trials that must have reported at a step.</summary>
    public int NMinTrials { get; }

    /// <inheritdoc />
    public bool ShouldPrune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var complete = study.PruningHistory(trial, TrialState.Complete);
        if (complete.Count == 0 || complete.Count < NStartupTrials)
        {
            return false;
        }

        if (trial.LastStep is not int step || step < NWarmupSteps)
        {
            return false;
        }

        if (!IsFirstInInterval(step, trial.IntermediateValues.Keys))
        {
            return false;
        }

        bool maximize = study.Direction == StudyDirection.Maximize;
        double best = BestIntermediate(trial, maximize);
        if (double.IsNaN(best))
        {
            return true;
        }

        var others = new List<double>();
        foreach (var t in complete)
        {
            if (t.IntermediateValues.TryGetValue(step, out double v) && !double.IsNaN(v))
            {
                others.Add(v);
            }
        }

        if (others.Count < NMinTrials)
        {
            return false;
        }

        double p = PercentileOf(others, maximize ? 100 - Percentile : Percentile);
        return maximize ? best < p : best > p;
    }

    private bool IsFirstInInterval(int step, IEnumerable<int> steps)
    {
        int nearestLowerPruningStep = ((step - NWarmupSteps) / IntervalSteps * IntervalSteps) + NWarmupSteps;
        int secondLast = -1;
        foreach (int s in steps)
        {
            if (s > secondLast && s != step)
            {
                secondLast = s;
            }
        }

        return secondLast < nearestLowerPruningStep;
    }

    private static double BestIntermediate(FrozenTrial trial, bool maximize)
    {
        double best = double.NaN;
        foreach (double v in trial.IntermediateValues.Values)
        {
            if (double.IsNaN(v))
            {
                continue;
            }

            if (double.IsNaN(best) || (maximize ? v > best : v < best))
            {
                best = v;
            }
        }

        return best;
    }

    /// <summary>numpy.percentile with linear interpolation.</summary>
    internal static double PercentileOf(List<double> values, double q)
    {
        values.Sort();
        double pos = q / 100.0 * (values.Count - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(lo + 1, values.Count - 1);
        return values[lo] + ((pos - lo) * (values[hi] - values[lo]));
    }
}
