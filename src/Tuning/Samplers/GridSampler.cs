using System.Text.Json;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// Tries every combination of the given values, in a fixed order (parameter names sorted, last name varying
/// fastest). Each trial takes the first grid point no other trial has taken; when the grid is used up the
/// running optimisation is stopped.
/// </summary>
public sealed class GridSampler : ISampler
{
    private readonly string[] _names;
    private readonly object?[][] _values;
    private readonly object _gate = new();

    /// <summary>Creates the sampler from parameter name to the values to try.</summary>
    public GridSampler(IReadOnlyDictionary<string, IReadOnlyList<object?>> searchSpace)
    {
        ArgumentNullException.ThrowIfNull(searchSpace);
        if (searchSpace.Count == 0)
        {
            throw new ArgumentException("The grid needs at least one parameter.", nameof(searchSpace));
        }

        _names = searchSpace.Keys.OrderBy(k => k, StringComparer.Ordinal).ToArray();
        _values = new object?[_names.Length][];
        long size = 1;
        for (int i = 0; i < _names.Length; i++)
        {
            var list = searchSpace[_names[i]];
            if (list is null || list.Count == 0)
            {
                throw new ArgumentException($"Grid values for '{_names[i]}' must not be empty.", nameof(searchSpace));
            }

            _values[i] = list.ToArray();
            size = checked(size * list.Count);
        }

        GridSize = size;
    }

    /// <summary>Number of grid points.</summary>
    public long GridSize { get; }

    /// <inheritdoc />
    public IReadOnlyDictionary<string, Distribution> InferRelativeSearchSpace(Study study, FrozenTrial trial)
        => new Dictionary<string, Distribution>();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> SampleRelative(Study study, FrozenTrial trial, IReadOnlyDictionary<string, Distribution> searchSpace)
        => new Dictionary<string, double>();

    /// <inheritdoc />
    public void BeforeTrial(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        if (trial.SystemAttrs.ContainsKey(SystemAttrKeys.GridId))
        {
            return;
        }

        lock (_gate)
        {
            var taken = Taken(study);
            long id = 0;
            while (id < GridSize && taken.Contains(id))
            {
                id++;
            }

            if (id == GridSize)
            {
                // Every point is taken: repeat the first ones like Optuna does, and stop the study.
                id = trial.Number % GridSize;
                study.Stop();
            }

            study.Storage.SetTrialSystemAttr(trial.TrialId, SystemAttrKeys.GridId, Invariant.Format(id));
        }
    }

    /// <inheritdoc />
    public double SampleIndependent(Study study, FrozenTrial trial, string name, Distribution distribution)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(distribution);
        int index = Array.IndexOf(_names, name);
        if (index < 0)
        {
            throw new ArgumentException($"Parameter '{name}' is not in the grid ({string.Join(", ", _names)}).");
        }

        var attrs = study.Storage.GetTrial(trial.TrialId).SystemAttrs;
        long id = attrs.TryGetValue(SystemAttrKeys.GridId, out var e) ? e.GetInt64() : 0;
        for (int i = _names.Length - 1; i > index; i--)
        {
            id /= _values[i].Length;
        }

        object? value = _values[index][id % _values[index].Length];
        try
        {
            return distribution.ToInternal(value);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Grid value for '{name}' does not fit the suggested distribution: {ex.Message}", ex);
        }
    }

    /// <inheritdoc />
    public void AfterTrial(Study study, FrozenTrial trial, TrialState state, double? value)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (Taken(study).Count >= GridSize)
        {
            study.Stop();
        }
    }

    private static HashSet<long> Taken(Study study)
    {
        var taken = new HashSet<long>();
        foreach (var t in study.Trials)
        {
            if (t.SystemAttrs.TryGetValue(SystemAttrKeys.GridId, out var e) && e.ValueKind == JsonValueKind.Number)
            {
                taken.Add(e.GetInt64());
            }
        }

        return taken;
    }
}
