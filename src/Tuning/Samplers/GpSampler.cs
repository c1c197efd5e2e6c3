using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Gaussian-process Bayesian optimisation: a Matérn 5/2 ARD GP on the parameters seen in every complete
/// trial (scaled to [0, 1], log parameters on the log scale), hyperparameters by marginal likelihood, and
/// the next point chosen by log expected improvement over random candidates refined by local search.
/// </summary>
public sealed class GpSampler : ISampler
{
    private readonly GpSamplerOptions _options;
    private readonly long _seed;
    private readonly ISampler _startup;
    private readonly object _gate = new();
    private readonly Dictionary<string, double[]> _lastTheta = new(StringComparer.Ordinal);

    /// <summary>Creates the sampler.</summary>
    /// <param name="seed">Seed; default null draws a fresh one.</param>
    /// <param name="options">Options; see <see cref="GpSamplerOptions"/> for defaults.</param>
    public GpSampler(long? seed = null, GpSamplerOptions? options = null)
    {
        _options = options ?? new GpSamplerOptions();
        _options.Validate();
        _seed = Seeds.Resolve(seed);
        _startup = _options.StartupSampler ?? new RandomSampler(_seed);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        return SearchSpaces.Intersection(study.GetTrials(TrialState.Complete), includePruned: false);
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(searchSpace);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        var names = searchSpace.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        if (names.Length == 0)
        {
            return result;
        }

        var dists = names.Select(n => searchSpace[n]).ToArray();
        var encoders = dists.Select(d => new UnitEncoder(d)).ToArray();
        var complete = study.GetTrials(TrialState.Complete)
            .Where(t => t.Value is double v && double.IsFinite(v) && names.All(n => t.InternalParams.TryGetValue(n, out double p) && searchSpace[n].Contains(p)))
            .ToList();
        if (complete.Count < _options.NStartupTrials)
        {
            return result;
        }

        int d = names.Length;
        var x = complete.Select(t => names.Select((n, k) => encoders[k].Encode(t.InternalParams[n])).ToArray()).ToArray();
        double sign = study.Direction == StudyDirection.Minimize ? 1 : -1;
        var y = complete.Select(t => sign * t.Value!.Value).ToArray();
        double mean = y.Average();
        double std = Math.Sqrt(y.Select(v => (v - mean) * (v - mean)).Average());
        if (!(std > 1e-12))
        {
            std = 1;
        }

        var ys = y.Select(v => (v - mean) / std).ToArray();
        var categorical = dists.Select(dd => dd is CategoricalDistribution).ToArray();
        string key = string.Join('\u001f', names);
        double[]? warm;
        lock (_gate)
        {
            _lastTheta.TryGetValue(key, out warm);
        }

        var gp = GaussianProcess.Fit(x, categorical, ys, warm);
        lock (_gate)
        {
            _lastTheta[key] = gp.Theta;
        }

        double best = ys.Min();
        var rng = DeterministicRandom.For(_seed, trial.Number, "gp:" + key);
        var chosen = Maximize(gp, encoders, x, ys, best, rng);
        for (int k = 0; k < d; k++)
        {
            result[names[k]] = encoders[k].Decode(chosen[k]);
        }

        return result;
    }

    private double[] Maximize(GaussianProcess gp, UnitEncoder[] encoders, double[][] observed, double[] ys, double best, DeterministicRandom rng)
    {
        int d = encoders.Length;
        var scratch = new double[gp.Count];
        double Score(double[] p)
        {
            var (m, s) = gp.Predict(p, scratch);
            return GaussianProcess.LogExpectedImprovement(m, s, best);
        }

        var candidates = new List<double[]>(_options.NCandidates + 64);
        for (int i = 0; i < _options.NCandidates; i++)
        {
            var c = new double[d];
            for (int k = 0; k < d; k++)
            {
                c[k] = encoders[k].Random(rng);
            }

            candidates.Add(c);
        }

        // Perturbations of the best observed points help exploit a narrow optimum.
        foreach (int idx in Enumerable.Range(0, ys.Length).OrderBy(i => ys[i]).Take(5))
        {
            for (int j = 0; j < 10; j++)
            {
                var c = (double[])observed[idx].Clone();
                for (int k = 0; k < d; k++)
                {
                    c[k] = encoders[k].Perturb(c[k], 0.05, rng);
                }

                candidates.Add(c);
            }
        }

        var scored = candidates.Select(c => (Point: c, Score: Score(c))).OrderByDescending(p => p.Score).ToList();
        var bestPoint = scored[0].Point;
        double bestScore = scored[0].Score;
        foreach (var (start, startScore) in scored.Take(_options.NLocalSearches))
        {
            var (p, s) = LocalSearch(start, startScore, encoders, Score);
            if (s > bestScore)
            {
                bestScore = s;
                bestPoint = p;
            }
        }

        return bestPoint;
    }

    /// <summary>Coordinate pattern search: try ±step per numerical dimension and every choice per categorical one; halve the step when stuck.</summary>
    private static (double[] Point, double Score) LocalSearch(double[] start, double startScore, UnitEncoder[] encoders, Func<double[], double> score)
    {
        var p = (double[])start.Clone();
        double s = startScore;
        double step = 0.05;
        for (int iter = 0; iter < 60 && step > 1e-4; iter++)
        {
            bool improved = false;
            for (int k = 0; k < p.Length; k++)
            {
                if (encoders[k].IsCategorical)
                {
                    double keep = p[k];
                    for (int c = 0; c < encoders[k].ChoiceCount; c++)
                    {
                        if (c == (int)keep)
                        {
                            continue;
                        }

                        p[k] = c;
                        double v = score(p);
                        if (v > s)
                        {
                            s = v;
                            keep = c;
                            improved = true;
                        }
                    }

                    p[k] = keep;
                    continue;
                }

                foreach (double dir in (ReadOnlySpan<double>)[1.0, -1.0])
                {
                    double old = p[k];
                    p[k] = Math.Clamp(old + (dir * step), 0, 1);
                    double v = score(p);
                    if (v > s)
                    {
                        s = v;
                        improved = true;
                        break;
                    }

                    p[k] = old;
                }
            }

            if (!improved)
            {
                step *= 0.5;
            }
        }

        return (p, s);
    }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
        => _startup.SampleIndependent(study, trial, name, distribution);

    /// <inheritdoc />
    public void BeforeTrial(Study study, FrozenTrial trial) => _startup.BeforeTrial(study, trial);

    /// <inheritdoc />
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, double? value) => _startup.AfterTrial(study, trial, state, value);

    /// <summary>Maps one parameter's internal value to [0, 1] (log scale for log parameters) and back; categorical stays an index.</summary>
    private sealed class UnitEncoder
    {
        private readonly Distribution _dist;
        private readonly double _low, _high;
        private readonly bool _log;

        public UnitEncoder(Distribution dist)
        {
            _dist = dist;
            switch (dist)
            {
                case FloatDistribution f:
                    _log = f.Log;
                    double half = (f.Step ?? 0) / 2;
                    _low = f.Log ? Math.Log(f.Low) : f.Low - half;
                    _high = f.Log ? Math.Log(f.High) : f.High + half;
                    break;
                case IntDistribution i:
                    _log = i.Log;
                    double h = i.Log ? 0.5 : i.Step / 2.0;
                    _low = i.Log ? Math.Log(i.Low - h) : i.Low - h;
                    _high = i.Log ? Math.Log(i.High + h) : i.High + h;
                    break;
                case CategoricalDistribution c:
                    IsCategorical = true;
                    ChoiceCount = c.Choices.Count;
                    break;
            }
        }

        public bool IsCategorical { get; }

        public int ChoiceCount { get; }

        public double Encode(double v)
        {
            if (IsCategorical)
            {
                return v;
            }

            double t = _log ? Math.Log(v) : v;
            return _high > _low ? (t - _low) / (_high - _low) : 0.5;
        }

        public double Decode(double u)
        {
            if (IsCategorical)
            {
                return Math.Clamp(Math.Round(u), 0, ChoiceCount - 1);
            }

            double t = _low + (Math.Clamp(u, 0, 1) * (_high - _low));
            double v = _log ? Math.Exp(t) : t;
            return _dist switch
            {
                FloatDistribution f => f.Snap(v),
                IntDistribution i => i.Snap(v),
                _ => v,
            };
        }

        public double Random(DeterministicRandom rng) => IsCategorical ? rng.NextInt(ChoiceCount) : rng.NextDouble();

        public double Perturb(double u, double scale, DeterministicRandom rng)
            => IsCategorical
                ? (rng.NextDouble() < 0.2 ? rng.NextInt(ChoiceCount) : u)
                : Math.Clamp(u + (scale * rng.NextGaussian()), 0, 1);
    }
}
