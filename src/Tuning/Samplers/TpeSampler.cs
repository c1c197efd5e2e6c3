using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Tree-structured Parzen Estimator (Optuna's algorithm and defaults): finished trials are split into a
/// "good" fraction gamma and the rest, a Parzen estimator is fitted to each, and the candidate (drawn from the
/// good estimator) with the largest ratio l(x)/g(x) is suggested. Startup trials come from a held
/// startup sampler.
/// </summary>
public sealed class TpeSampler : ISampler
{
    private readonly TpeSamplerOptions _options;
    private readonly long _seed;
    private readonly ISampler _startup;
    private readonly ParzenEstimatorParameters _parameters;
    private readonly object _cacheGate = new();
    private (long TrialId, int HistoryCount, List<FrozenTrial> Below, List<FrozenTrial> Above)? _splitCache;

    /// <summary>Creates the sampler.</summary>
    /// <param name="seed">Seed; default null draws a fresh one.</param>
    /// <param name="options">Options; default Optuna's defaults.</param>
    public TpeSampler(long? seed = null, TpeSamplerOptions? options = null)
    {
        _options = options ?? new TpeSamplerOptions();
        _options.Validate();
        _seed = Seeds.Resolve(seed);
        _startup = _options.StartupSampler ?? new RandomSampler(_seed);
        _parameters = new ParzenEstimatorParameters(
            _options.ConsiderPrior,
            _options.PriorWeight,
            _options.ConsiderMagicClip,
            _options.ConsiderEndpoints,
            _options.Multivariate);
    }

    /// <summary>The options in use.</summary>
    public TpeSamplerOptions Options => _options;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (!_options.Multivariate)
        {
            return new Dictionary<string, Distribution>();
        }

        var finished = study.GetTrials(TrialState.Complete, TrialState.Pruned);
        if (!_options.Group)
        {
            return SearchSpaces.Intersection(finished);
        }

        var union = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
        foreach (var g in SearchSpaces.Groups(finished))
        {
            foreach (var (k, v) in g)
            {
                union[k] = v;
            }
        }

        return union;
    }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(searchSpace);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (searchSpace.Count == 0)
        {
            return result;
        }

        var history = History.Of(study, trial, _options.ConstantLiar);
        if (history.FinishedCount < _options.NStartupTrials)
        {
            return result;
        }

        var (below, above) = SplitCached(study, trial, history);

        IEnumerable<IReadOnlyDictionary<string, Distribution>> groups = _options.Group
            ? SearchSpaces.Groups(study.GetTrials(TrialState.Complete, TrialState.Pruned))
                .Select(g => (IReadOnlyDictionary<string, Distribution>)g.Where(p => searchSpace.ContainsKey(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal))
                .Where(g => g.Count > 0)
            : [searchSpace];

        foreach (var group in groups)
        {
            var names = group.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
            var rng = DeterministicRandom.For(_seed, trial.Number, "tpe:" + string.Join('\u001f', names));
            var values = SampleJoint(names, names.Select(n => group[n]).ToArray(), below, above, rng);
            for (int i = 0; i < names.Length; i++)
            {
                result[names[i]] = values[i];
            }
        }

        return result;
    }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        var history = History.Of(study, trial, _options.ConstantLiar);
        if (history.FinishedCount < _options.NStartupTrials)
        {
            return _startup.SampleIndependent(study, trial, name, distribution);
        }

        var (below, above) = SplitCached(study, trial, history);
        var rng = DeterministicRandom.For(_seed, trial.Number, "tpe:" + name);
        return SampleJoint([name], [distribution], below, above, rng)[0];
    }

    /// <inheritdoc />
    public void BeforeTrial(Study study, FrozenTrial trial) => _startup.BeforeTrial(study, trial);

    /// <inheritdoc />
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, double? value) => _startup.AfterTrial(study, trial, state, value);

    private double[] SampleJoint(string[] names, Distribution[] dists, List<FrozenTrial> below, List<FrozenTrial> above, DeterministicRandom rng)
    {
        var good = Estimator(names, dists, below);
        var bad = Estimator(names, dists, above);
        var candidates = good.Sample(rng, _options.NEiCandidates);
        var lGood = good.LogPdf(candidates);
        var lBad = bad.LogPdf(candidates);
        int best = 0;
        double bestScore = double.NegativeInfinity;
        for (int i = 0; i < lGood.Length; i++)
        {
            double score = lGood[i] - lBad[i];
            if (score > bestScore)
            {
                bestScore = score;
                best = i;
            }
        }

        var result = new double[names.Length];
        for (int d = 0; d < names.Length; d++)
        {
            result[d] = candidates[d][best];
        }

        return result;
    }

    private ParzenEstimator Estimator(string[] names, Distribution[] dists, List<FrozenTrial> trials)
    {
        var usable = new List<FrozenTrial>(trials.Count);
        foreach (var t in trials)
        {
            if (Observable(t, names, dists))
            {
                usable.Add(t);
            }
        }

        var obs = new double[names.Length][];
        for (int d = 0; d < names.Length; d++)
        {
            obs[d] = new double[usable.Count];
            for (int i = 0; i < usable.Count; i++)
            {
                obs[d][i] = usable[i].InternalParams[names[d]];
            }
        }

        var weights = _options.Weights(usable.Count);
        return new ParzenEstimator(dists, obs, weights, _parameters);
    }

    private static bool Observable(FrozenTrial t, string[] names, Distribution[] dists)
    {
        for (int d = 0; d < names.Length; d++)
        {
            if (!t.InternalParams.TryGetValue(names[d], out double v))
            {
                return false;
            }

            // Categorical indices only mean the same thing under the same choices; numbers only need to be in range.
            bool ok = dists[d] is CategoricalDistribution ? dists[d].Equals(t.Distributions[names[d]]) : InRange(dists[d], v);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool InRange(Distribution d, double v) => d switch
    {
        FloatDistribution f => v >= f.Low && v <= f.High,
        IntDistribution i => v >= i.Low && v <= i.High,
        _ => false,
    };

    /// <summary>The split is the same for every parameter of one trial while the history does not change: compute it once.</summary>
    private (List<FrozenTrial> Below, List<FrozenTrial> Above) SplitCached(Study study, FrozenTrial trial, History history)
    {
        lock (_cacheGate)
        {
            if (_splitCache is { } c && c.TrialId == trial.TrialId && c.HistoryCount == history.TotalCount)
            {
                return (c.Below, c.Above);
            }
        }

        var (below, above) = Split(study, history);
        lock (_cacheGate)
        {
            _splitCache = (trial.TrialId, history.TotalCount, below, above);
        }

        return (below, above);
    }

    /// <summary>Optuna's split: the best gamma(n) complete trials (then pruned ones by progress) are "below"; running trials are always "above".</summary>
    private (List<FrozenTrial> Below, List<FrozenTrial> Above) Split(Study study, History history)
    {
        int nBelow = _options.Gamma(history.FinishedCount);
        double sign = study.Direction == StudyDirection.Minimize ? 1 : -1;
        var complete = history.Complete.OrderBy(t => sign * t.Value!.Value).ThenBy(t => t.Number).ToList();
        var pruned = history.Pruned
            .OrderBy(t => -(t.LastStep ?? -1))
            .ThenBy(t => t.LastStep is int s ? sign * t.IntermediateValues[s] : double.PositiveInfinity)
            .ThenBy(t => t.Number)
            .ToList();

        var below = new List<FrozenTrial>();
        var above = new List<FrozenTrial>();
        foreach (var t in complete.Concat(pruned))
        {
            (below.Count < nBelow ? below : above).Add(t);
        }

        above.AddRange(history.Running);
        below.Sort((a, b) => a.Number.CompareTo(b.Number));
        above.Sort((a, b) => a.Number.CompareTo(b.Number));
        return (below, above);
    }

    private sealed class History
    {
        public List<FrozenTrial> Complete { get; } = [];

        public List<FrozenTrial> Pruned { get; } = [];

        public List<FrozenTrial> Running { get; } = [];

        public int FinishedCount => Complete.Count + Pruned.Count;

        public int TotalCount => Complete.Count + Pruned.Count + Running.Count;

        public static History Of(Study study, FrozenTrial current, bool constantLiar)
        {
            var h = new History();
            foreach (var t in study.Trials)
            {
                switch (t.State)
                {
                    case TrialState.Complete when t.Value is double v && !double.IsNaN(v):
                        h.Complete.Add(t);
                        break;
                    case TrialState.Pruned:
                        h.Pruned.Add(t);
                        break;
                    case TrialState.Running when constantLiar && t.Number != current.Number:
                        h.Running.Add(t);
                        break;
                }
            }

            return h;
        }
    }
}
