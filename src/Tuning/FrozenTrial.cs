using System.Text.Json;

namespace Pipelines.Tuning;

/// <summary>An immutable snapshot of one trial as the storage holds it.</summary>
public sealed class FrozenTrial
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoAttrs = new Dictionary<string, JsonElement>();

    /// <summary>Creates a snapshot; storages call this.</summary>
    public FrozenTrial(
        long trialId,
        int number,
        TrialState state,
        double? value,
        DateTime? datetimeStart,
        DateTime? datetimeComplete,
        IReadOnlyDictionary<string, double> internalParams,
        IReadOnlyDictionary<string, Distribution> distributions,
        IReadOnlyDictionary<string, JsonElement>? userAttrs = null,
        IReadOnlyDictionary<string, JsonElement>? systemAttrs = null,
        IReadOnlyDictionary<int, double>? intermediateValues = null)
    {
        ArgumentNullException.ThrowIfNull(internalParams);
        ArgumentNullException.ThrowIfNull(distributions);
        TrialId = trialId;
        Number = number;
        State = state;
        Value = value;
        DatetimeStart = datetimeStart;
        DatetimeComplete = datetimeComplete;
        InternalParams = internalParams;
        Distributions = distributions;
        var ext = new Dictionary<string, object?>(internalParams.Count, StringComparer.Ordinal);
        foreach (var (name, v) in internalParams)
        {
            ext[name] = distributions[name].ToExternal(v);
        }

        Params = ext;
        UserAttrs = userAttrs ?? NoAttrs;
        SystemAttrs = systemAttrs ?? NoAttrs;
        var iv = new SortedDictionary<int, double>();
        if (intermediateValues is not null)
        {
            foreach (var (step, v) in intermediateValues)
            {
                iv[step] = v;
            }
        }

        IntermediateValues = iv;
        LastStep = iv.Count == 0 ? null : iv.Keys.Max();
    }

    /// <summary>The storage's id of the trial (unique across studies).</summary>
    public long TrialId { get; }

    /// <summary>The 0-based number of the trial within its study.</summary>
    public int Number { get; }

    /// <summary>The trial's state.</summary>
    public TrialState State { get; }

    /// <summary>The objective value (complete trials; pruned trials keep their last reported value).</summary>
    public double? Value { get; }

    /// <summary>When the trial started running (UTC).</summary>
    public DateTime? DatetimeStart { get; }

    /// <summary>When the trial finished (UTC).</summary>
    public DateTime? DatetimeComplete { get; }

    /// <summary>The duration, when the trial has both start and end times.</summary>
    public TimeSpan? Duration => DatetimeStart is DateTime s && DatetimeComplete is DateTime c ? c - s : null;

    /// <summary>Parameter values as the objective saw them (double, long, or the categorical choice).</summary>
    public IReadOnlyDictionary<string, object?> Params { get; }

    /// <summary>Parameter values in the samplers' internal representation.</summary>
    public IReadOnlyDictionary<string, double> InternalParams { get; }

    /// <summary>The distribution each parameter was drawn from.</summary>
    public IReadOnlyDictionary<string, Distribution> Distributions { get; }

    /// <summary>Attributes set by the user with <see cref="Trial.SetUserAttr"/>.</summary>
    public IReadOnlyDictionary<string, JsonElement> UserAttrs { get; }

    /// <summary>Attributes used by the library (fixed params, pruner rungs, failure reason...).</summary>
    public IReadOnlyDictionary<string, JsonElement> SystemAttrs { get; }

    /// <summary>Intermediate values by step, in step order.</summary>
    public IReadOnlyDictionary<int, double> IntermediateValues { get; }

    /// <summary>The largest reported step, or null when nothing was reported.</summary>
    public int? LastStep { get; }

    /// <summary>Why the trial failed (the exception message), or null.</summary>
    public string? FailReason
        => SystemAttrs.TryGetValue(SystemAttrKeys.FailReason, out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;

    /// <summary>True for states that will not change any more.</summary>
    public bool IsFinished => State is TrialState.Complete or TrialState.Pruned or TrialState.Fail;
}
