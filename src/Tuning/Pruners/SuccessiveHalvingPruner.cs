using System.Globalization;
using System.Text.Json;

namespace Pipelines.Tuning;

/// <summary>
/// Asynchronous Successive Halving (ASHA, Optuna's SuccessiveHalvingPruner): at each rung
/// (step = min_resource · reduction_factor^(min_early_stopping_rate + rung)) a trial continues only if it is
/// in the top 1/reduction_factor of the trials that reached that rung.
/// </summary>
public sealed class SuccessiveHalvingPruner : IPruner
{
    private readonly Func<Study, FrozenTrial, IReadOnlyList<FrozenTrial>> _trials;

    /// <summary>Creates the pruner.</summary>
    /// <param name="minResource">Steps before the first rung, at least 1. Default 1.</param>
    /// <param name="reductionFactor">Keep the top 1/reduction_factor at each rung, at least 2. Default 4.</param>
    /// <param name="minEarlyStoppingRate">Shifts the first rung up by this many factors. Default 0.</param>
    /// <param name="bootstrapCount">Prune nothing at a rung until more than this many trials reached it (0 = no bootstrap). Default 0.</param>
    public SuccessiveHalvingPruner(int minResource = 1, int reductionFactor = 4, int minEarlyStoppingRate = 0, int bootstrapCount = 0)
        : this(minResource, reductionFactor, minEarlyStoppingRate, bootstrapCount, static (s, t) => s.PruningHistory(t))
    {
    }

    internal SuccessiveHalvingPruner(int minResource, int reductionFactor, int minEarlyStoppingRate, int bootstrapCount, Func<Study, FrozenTrial, IReadOnlyList<FrozenTrial>> trials)
    {
        if (minResource < 1)
        {
            throw new ArgumentException($"min_resource must be at least 1, but got {minResource}.", nameof(minResource));
        }

        if (reductionFactor < 2)
        {
            throw new ArgumentException($"reduction_factor must be at least 2, but got {reductionFactor}.", nameof(reductionFactor));
        }

        if (minEarlyStoppingRate < 0)
        {
            throw new ArgumentException($"min_early_stopping_rate must be 0 or more, but got {minEarlyStoppingRate}.", nameof(minEarlyStoppingRate));
        }

        if (bootstrapCount < 0)
        {
            throw new ArgumentException($"bootstrap_count must be 0 or more, but got {bootstrapCount}.", nameof(bootstrapCount));
        }

        MinResource = minResource;
        ReductionFactor = reductionFactor;
        MinEarlyStoppingRate = minEarlyStoppingRate;
        BootstrapCount = bootstrapCount;
        _trials = trials;
    }

    /// <summary>Steps before the first rung.</summary>
    public int MinResource { get; }

    /// <summary>Reduction factor between rungs.</summary>
    public int ReductionFactor { get; }

    /// <summary>Rung offset.</summary>
    public int MinEarlyStoppingRate { get; }

    /// <summary>Trials needed at a rung before it prunes.</summary>
    public int BootstrapCount { get; }

    /// <inheritdoc />
    public bool ShouldPrune(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.LastStep is not int step)
        {
            return false;
        }

        int rung = CurrentRung(trial);
        double value = trial.IntermediateValues[step];
        IReadOnlyList<FrozenTrial>? trials = null;
        while (true)
        {
            double promotionStep = MinResource * Math.Pow(ReductionFactor, MinEarlyStoppingRate + rung);
            if (step < promotionStep)
            {
                return false;
            }

            if (double.IsNaN(value))
            {
                return true;
            }

            trials ??= _trials(study, trial);
            string key = SystemAttrKeys.CompletedRungPrefix + rung.ToString(CultureInfo.InvariantCulture);
            study.Storage.SetTrialSystemAttr(trial.TrialId, key, JsonSerializer.Serialize(value));

            var competing = new List<double>();
            foreach (var t in trials)
            {
                if (t.TrialId != trial.TrialId && t.SystemAttrs.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.Number)
                {
                    competing.Add(e.GetDouble());
                }
            }

            competing.Add(value);
            if (competing.Count <= BootstrapCount)
            {
                return true;
            }

            if (!IsPromotable(value, competing, study.Direction))
            {
                return true;
            }

            rung++;
        }
    }

    private int CurrentRung(FrozenTrial trial)
    {
        int rung = 0;
        while (trial.SystemAttrs.ContainsKey(SystemAttrKeys.CompletedRungPrefix + rung.ToString(CultureInfo.InvariantCulture)))
        {
            rung++;
        }

        return rung;
    }

    private bool IsPromotable(double value, List<double> competing, StudyDirection direction)
    {
        int promotableIndex = (competing.Count / ReductionFactor) - 1;
        if (promotableIndex == -1)
        {
            // Too few trials at this rung to prune anyone (Optuna's rule).
            promotableIndex = 0;
        }

        competing.Sort();
        return direction == StudyDirection.Maximize
            ? value >= competing[competing.Count - 1 - promotableIndex]
            : value <= competing[promotableIndex];
    }
}
