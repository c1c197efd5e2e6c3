namespace Pipelines.Tuning;

/// <summary>
/// PED-ANOVA parameter importance (Watanabe et al. 2023, as in Optuna): for each parameter, the Pearson
/// divergence between its distribution among the top-quantile trials and among all trials (both as
/// smoothed histograms on a grid). A parameter whose good values look like all values does not matter.
/// </summary>
public sealed class PedAnovaImportanceEvaluator
{
    /// <summary>Creates the evaluator.</summary>
    /// <param name="targetQuantile">Fraction of best trials that count as "top", in (0, 1). Default 0.1.</param>
    /// <param name="regionQuantile">Fraction of best trials that form the reference region, in (targetQuantile, 1]. Default 1 (all trials).</param>
    /// <param name="nSteps">Grid cells for numerical parameters. Default 50.</param>
    /// <param name="minTopTrials">At least this many top trials. Default 2.</param>
    public PedAnovaImportanceEvaluator(double targetQuantile = 0.1, double regionQuantile = 1.0, int nSteps = 50, int minTopTrials = 2)
    {
        if (!(targetQuantile > 0 && targetQuantile < 1))
        {
            throw new ArgumentException($"target_quantile must be between 0 and 1 (exclusive), but got {targetQuantile}.", nameof(targetQuantile));
        }

        if (!(regionQuantile > targetQuantile && regionQuantile <= 1))
        {
            throw new ArgumentException($"region_quantile must be greater than target_quantile ({targetQuantile}) and at most 1, but got {regionQuantile}.", nameof(regionQuantile));
        }

        if (nSteps < 2)
        {
            throw new ArgumentException($"n_steps must be at least 2, but got {nSteps}.", nameof(nSteps));
        }

        if (minTopTrials < 2)
        {
            throw new ArgumentException($"min_n_top_trials must be at least 2, but got {minTopTrials}.", nameof(minTopTrials));
        }

        TargetQuantile = targetQuantile;
        RegionQuantile = regionQuantile;
        NSteps = nSteps;
        MinTopTrials = minTopTrials;
    }

    /// <summary>Fraction of best trials that count as "top".</summary>
    public double TargetQuantile { get; }

    /// <summary>Fraction of best trials in the reference region.</summary>
    public double RegionQuantile { get; }

    /// <summary>Grid cells for numerical parameters.</summary>
    public int NSteps { get; }

    /// <summary>Minimum number of top trials.</summary>
    public int MinTopTrials { get; }

    /// <summary>
    /// Importances of the parameters present in every complete trial, largest first (ties by name); empty when
    /// there are too few complete trials (fewer than <see cref="MinTopTrials"/> + 1).
    /// </summary>
    public IReadOnlyList<ParameterImportance> Evaluate(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        return Evaluate(study.GetTrials(TrialState.Complete), study.Direction);
    }

    /// <summary>Importances computed from the given trials (only complete ones with finite values are used).</summary>
    public IReadOnlyList<ParameterImportance> Evaluate(IEnumerable<FrozenTrial> trials, StudyDirection direction)
    {
        ArgumentNullException.ThrowIfNull(trials);
        double sign = direction == StudyDirection.Minimize ? 1 : -1;
        var complete = trials
            .Where(t => t.State == TrialState.Complete && t.Value is double v && double.IsFinite(v))
            .OrderBy(t => sign * t.Value!.Value)
            .ThenBy(t => t.Number)
            .ToList();
        var space = SearchSpaces.Intersection(complete, includePruned: false);
        if (complete.Count <= MinTopTrials || space.Count == 0)
        {
            return [];
        }

        int nTop = Math.Max(MinTopTrials, (int)Math.Ceiling(TargetQuantile * complete.Count));
        int nRegion = Math.Max(nTop, (int)Math.Ceiling(RegionQuantile * complete.Count));
        var top = complete.Take(nTop).ToList();
        var region = complete.Take(nRegion).ToList();

        var raw = new List<(string Name, double Value)>();
        foreach (var (name, dist) in space)
        {
            var grid = new Discretizer(dist, NSteps);
            var pTop = grid.Pmf(top.Select(t => t.InternalParams[name]));
            var pRegion = grid.Pmf(region.Select(t => t.InternalParams[name]));
            double divergence = 0;
            for (int i = 0; i < pTop.Length; i++)
            {
                double a = pTop[i] + 1e-12, b = pRegion[i] + 1e-12;
                double r = (a / b) - 1;
                divergence += b * r * r;
            }

            raw.Add((name, divergence));
        }

        double total = raw.Sum(r => r.Value);
        return raw
            .Select(r => new ParameterImportance(r.Name, total > 0 ? r.Value / total : 1.0 / raw.Count))
            .OrderByDescending(r => r.Importance)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Maps a parameter onto grid cells and estimates a smoothed probability mass per cell.</summary>
    private sealed class Discretizer
    {
        private readonly Distribution _dist;
        private readonly int _cells;
        private readonly bool _smooth;
        private readonly double _low, _high;
        private readonly bool _log;
        private readonly bool _cellPerValue;

        public Discretizer(Distribution dist, int nSteps)
        {
            _dist = dist;
            switch (dist)
            {
                case CategoricalDistribution c:
                    _cells = c.Choices.Count;
                    break;
                case IntDistribution i when !i.Log && ((i.High - i.Low) / i.Step) + 1 <= nSteps:
                    _cells = (int)(((i.High - i.Low) / i.Step) + 1);
                    _smooth = true;
                    _cellPerValue = true;
                    break;
                case FloatDistribution { Step: double s } f when Math.Round((f.High - f.Low) / s) + 1 <= nSteps:
                    _cells = (int)Math.Round((f.High - f.Low) / s) + 1;
                    _smooth = true;
                    _cellPerValue = true;
                    break;
                case FloatDistribution f:
                    _cells = nSteps;
                    _smooth = true;
                    _log = f.Log;
                    _low = f.Log ? Math.Log(f.Low) : f.Low;
                    _high = f.Log ? Math.Log(f.High) : f.High;
                    break;
                case IntDistribution i:
                    _cells = nSteps;
                    _smooth = true;
                    _log = i.Log;
                    _low = i.Log ? Math.Log(i.Low) : i.Low;
                    _high = i.Log ? Math.Log(i.High) : i.High;
                    break;
            }
        }

        private int Cell(double v)
        {
            switch (_dist)
            {
                case CategoricalDistribution:
                    return (int)v;
                case IntDistribution i when _cellPerValue:
                    return (int)((v - i.Low) / i.Step);
                case FloatDistribution { Step: double s } f when _cellPerValue:
                    return (int)Math.Round((v - f.Low) / s);
                default:
                    double t = _log ? Math.Log(v) : v;
                    return _high > _low ? Math.Clamp((int)((t - _low) / (_high - _low) * _cells), 0, _cells - 1) : 0;
            }
        }

        public double[] Pmf(IEnumerable<double> values)
        {
            var cells = values.Select(Cell).ToArray();
            int m = cells.Length;
            var pmf = new double[_cells];
            if (!_smooth)
            {
                foreach (int c in cells)
                {
                    pmf[c] += 1;
                }
            }
            else
            {
                double h = Bandwidth(cells);
                var kernel = new double[_cells];
                foreach (int c in cells)
                {
                    double sum = 0;
                    for (int j = 0; j < _cells; j++)
                    {
                        double z = (j - c) / h;
                        kernel[j] = Math.Exp(-0.5 * z * z);
                        sum += kernel[j];
                    }

                    for (int j = 0; j < _cells; j++)
                    {
                        pmf[j] += kernel[j] / sum;
                    }
                }
            }

            // A uniform prior with the weight of one observation keeps every cell possible.
            for (int j = 0; j < _cells; j++)
            {
                pmf[j] = (pmf[j] + (1.0 / _cells)) / (m + 1);
            }

            return pmf;
        }

        private static double Bandwidth(int[] cells)
        {
            int m = cells.Length;
            if (m < 2)
            {
                return 1.0;
            }

            double mean = cells.Average();
            double std = Math.Sqrt(cells.Select(c => (c - mean) * (c - mean)).Sum() / (m - 1));
            var sorted = cells.OrderBy(c => c).ToArray();
            double iqr = Quantile(sorted, 0.75) - Quantile(sorted, 0.25);
            double spread = iqr > 0 ? Math.Min(std, iqr / 1.34) : std;

            // Scott's rule, never narrower than one cell.
            return Math.Max(1.0, 1.059 * spread * Math.Pow(m, -0.2));
        }

        private static double Quantile(int[] sorted, double q)
        {
            double pos = q * (sorted.Length - 1);
            int lo = (int)Math.Floor(pos);
            int hi = Math.Min(lo + 1, sorted.Length - 1);
            return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
        }
    }
}
