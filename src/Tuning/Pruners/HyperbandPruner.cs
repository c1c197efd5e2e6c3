using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Hyperband (Optuna's HyperbandPruner): several Successive Halving brackets with different early-stopping
/// rates; each trial is assigned to one bracket by a stable hash of the study name and trial number (weighted
/// by each bracket's budget) and only competes with trials of its bracket.
/// </summary>
public sealed class HyperbandPruner : IPruner
{
    private readonly SuccessiveHalvingPruner[] _brackets;
    private readonly int[] _budgets;
    private readonly int _totalBudget;

    /// <summary>Creates the pruner.</summary>
    /// <param name="minResource">Smallest number of steps a trial gets, at least 1. Default 1.</param>
    /// <param name="maxResource">Steps of a full trial (e.g. epochs), greater than minResource.</param>
    /// <param name="reductionFactor">Successive Halving factor, at least 2. Default 3.</param>
    /// <param name="bootstrapCount">Passed to every bracket. Default 0.</param>
    public HyperbandPruner(int maxResource, int minResource = 1, int reductionFactor = 3, int bootstrapCount = 0)
    {
        if (minResource < 1)
        {
            throw new ArgumentException($"min_resource must be at least 1, but got {minResource}.", nameof(minResource));
        }

        if (maxResource <= minResource)
        {
            throw new ArgumentException($"max_resource must be greater than min_resource ({minResource}), but got {maxResource}.", nameof(maxResource));
        }

        if (reductionFactor < 2)
        {
            throw new ArgumentException($"reduction_factor must be at least 2, but got {reductionFactor}.", nameof(reductionFactor));
        }

        MinResource = minResource;
        MaxResource = maxResource;
        ReductionFactor = reductionFactor;
        int n = (int)Math.Floor(Math.Log((double)maxResource / minResource, reductionFactor) + 1e-9) + 1;
        _brackets = new SuccessiveHalvingPruner[n];
        _budgets = new int[n];
        for (int i = 0; i < n; i++)
        {
            int bracket = i;
            _brackets[i] = new SuccessiveHalvingPruner(minResource, reductionFactor, bracket, bootstrapCount, (s, current) => s.PruningHistory(current).Where(t => BracketOf(s, t.Number) == bracket).ToList());
            int sIndex = n - 1 - i;
            _budgets[i] = (int)Math.Ceiling(n * Math.Pow(reductionFactor, sIndex) / (sIndex + 1));
        }

        _totalBudget = _budgets.Sum();
    }

    /// <summary>Smallest resource.</summary>
    public int MinResource { get; }

    /// <summary>Largest resource.</summary>
    public int MaxResource { get; }

    /// <summary>Successive Halving factor.</summary>
    public int ReductionFactor { get; }

    /// <summary>Number of brackets: floor(log_factor(max / min)) + 1.</summary>
    public int BracketCount => _brackets.Length;

    /// <summary>The bracket a trial belongs to.</summary>
    public int BracketOf(Study study, int trialNumber)
    {
        ArgumentNullException.ThrowIfNull(study);
        int slot = (int)(StableHash.Of(study.Name + "_" + trialNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)) % (ulong)_totalBudget);
        for (int i = 0; i < _budgets.Length; i++)
        {
            slot -= _budgets[i];
            if (slot < 0)
            {
                return i;
            }
        }

        return _budgets.Length - 1;
    }

    /// <inheritdoc />
    public bool ShouldPrune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        return _brackets[BracketOf(study, trial.Number)].ShouldPrune(study, trial);
    }
}
