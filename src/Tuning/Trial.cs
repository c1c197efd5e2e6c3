using System.Text.Json;

namespace Pipelines.Tuning;

/// <summary>
/// A running trial handed to the objective: suggest parameters (define-by-run, so the space may depend on
/// earlier choices), report intermediate values, ask whether to prune, and keep user attributes.
/// </summary>
public sealed class Trial
{
    private readonly object _gate = new();
    private readonly FrozenTrial _start;
    private readonly IReadOnlyDictionary<string, Distribution> _relativeSpace;
    private readonly IReadOnlyDictionary<string, double> _relativeParams;
    private readonly Dictionary<string, JsonElement> _fixedParams = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _params = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Distribution> _distributions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonElement> _userAttrs = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, double> _intermediate = [];

    internal Trial(Study study, FrozenTrial start, IReadOnlyDictionary<string, Distribution> relativeSpace, IReadOnlyDictionary<string, double> relativeParams)
    {
        Study = study;
        _start = start;
        _relativeSpace = relativeSpace;
        _relativeParams = relativeParams;
        TrialId = start.TrialId;
        Number = start.Number;
        if (start.SystemAttrs.TryGetValue(SystemAttrKeys.FixedParams, out var fixedJson) && fixedJson.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in fixedJson.EnumerateObject())
            {
                _fixedParams[p.Name] = p.Value.Clone();
            }
        }

        foreach (var (k, v) in start.UserAttrs)
        {
            _userAttrs[k] = v;
        }
    }

    /// <summary>The study this trial belongs to.</summary>
    public Study Study { get; }

    /// <summary>The storage's id of the trial.</summary>
    public long TrialId { get; }

    /// <summary>The 0-based number of the trial in its study.</summary>
    public int Number { get; }

    /// <summary>The parameters suggested so far, as the objective saw them.</summary>
    public IReadOnlyDictionary<string, object?> Params
    {
        get
        {
            lock (_gate)
            {
                return _params.ToDictionary(p => p.Key, p => _distributions[p.Key].ToExternal(p.Value), StringComparer.Ordinal);
            }
        }
    }

    /// <summary>The user attributes set so far.</summary>
    public IReadOnlyDictionary<string, JsonElement> UserAttrs
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, JsonElement>(_userAttrs, StringComparer.Ordinal);
            }
        }
    }

    /// <summary>Suggests a real value in [low, high] (log scale or step grid optional).</summary>
    public double SuggestFloat(string name, double low, double high, bool log = false, double? step = null)
        => (double)Suggest(name, new FloatDistribution(low, high, log, step))!;

    /// <summary>Suggests an integer in [low, high] (log scale or step optional).</summary>
    public long SuggestInt(string name, long low, long high, bool log = false, long step = 1)
        => (long)Suggest(name, new IntDistribution(low, high, log, step))!;

    /// <summary>Suggests one of <paramref name="choices"/> (null, bools, integers, floats or strings).</summary>
    public T SuggestCategorical<T>(string name, IReadOnlyList<T> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        var dist = new CategoricalDistribution(choices.Select(c => (object?)c));
        Suggest(name, dist);
        lock (_gate)
        {
            return choices[(int)_params[name]];
        }
    }

    /// <summary>
    /// Suggests a value from any distribution and returns it as the objective sees it (double, long or the
    /// choice). Asking again for the same name with the same distribution returns the same value.
    /// </summary>
    public object? Suggest(string name, Distribution distribution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(distribution);
        lock (_gate)
        {
            if (_params.TryGetValue(name, out double existing))
            {
                if (!_distributions[name].Equals(distribution))
                {
                    throw new ArgumentException($"Parameter '{name}' was already suggested from {_distributions[name]} in this trial; it cannot change to {distribution}.");
                }

                return distribution.ToExternal(existing);
            }

            double value;
            if (_fixedParams.TryGetValue(name, out var fixedValue))
            {
                try
                {
                    value = distribution.ToInternal(CategoricalDistribution.ChoiceFromJson(System.Text.Json.Nodes.JsonNode.Parse(fixedValue.GetRawText())));
                }
                catch (ArgumentException ex)
                {
                    throw new ArgumentException($"Enqueued value for parameter '{name}' does not fit: {ex.Message}", ex);
                }
            }
            else if (distribution.IsSingle)
            {
                value = distribution.FromUnit(0);
            }
            else if (_relativeParams.TryGetValue(name, out double rel) && _relativeSpace.TryGetValue(name, out var relDist) && relDist.Equals(distribution))
            {
                value = rel;
            }
            else
            {
                value = Study.Sampler.SampleIndependent(Study, SnapshotUnlocked(), name, distribution);
                if (!distribution.Contains(value))
                {
                    throw new InvalidOperationException($"Sampler {Study.Sampler.GetType().Name} returned {value} for '{name}', outside {distribution}.");
                }
            }

            Study.Storage.SetTrialParam(TrialId, name, value, distribution);
            _params[name] = value;
            _distributions[name] = distribution;
            return distribution.ToExternal(value);
        }
    }

    /// <summary>Reports an intermediate objective value at <paramref name="step"/> (a repeated step is ignored).</summary>
    public void Report(double value, int step)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "step must be 0 or more.");
        }

        lock (_gate)
        {
            if (Study.Storage.SetTrialIntermediateValue(TrialId, step, value))
            {
                _intermediate[step] = value;
            }
        }
    }

    /// <summary>Asks the study's pruner whether this trial should stop now.</summary>
    public bool ShouldPrune() => Study.Pruner.ShouldPrune(Study, Study.Storage.GetTrial(TrialId));

    /// <summary>Stores a JSON-serialisable user attribute on the trial.</summary>
    public void SetUserAttr(string key, object? value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        string json = JsonSerializer.Serialize(value);
        lock (_gate)
        {
            Study.Storage.SetTrialUserAttr(TrialId, key, json);
            using var doc = JsonDocument.Parse(json);
            _userAttrs[key] = doc.RootElement.Clone();
        }
    }

    /// <summary>A snapshot of the trial as it is now, without a storage round trip.</summary>
    public FrozenTrial Snapshot()
    {
        lock (_gate)
        {
            return SnapshotUnlocked();
        }
    }

    private FrozenTrial SnapshotUnlocked() => new(
        TrialId,
        Number,
        TrialState.Running,
        null,
        _start.DatetimeStart,
        null,
        new Dictionary<string, double>(_params, StringComparer.Ordinal),
        new Dictionary<string, Distribution>(_distributions, StringComparer.Ordinal),
        new Dictionary<string, JsonElement>(_userAttrs, StringComparer.Ordinal),
        _start.SystemAttrs,
        _intermediate);
}
