using System.Text.Json;

namespace Pipelines.Tuning.Internal;

/// <summary>A trial being read from a database storage: its row, then its params, values and attributes.</summary>
internal sealed record StoredTrialRow(long Id, int Number, TrialState State, double? Value, DateTime? Start, DateTime? Complete)
{
    public Dictionary<string, double> Params { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, Distribution> Distributions { get; } = new(StringComparer.Ordinal);

    public Dictionary<int, double> Intermediate { get; } = [];

    public Dictionary<string, JsonElement> UserAttrs { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, JsonElement> SystemAttrs { get; } = new(StringComparer.Ordinal);

    /// <summary>The row a reader is on, from the columns trial_id, number, state, value, datetime_start, datetime_complete.</summary>
    public static StoredTrialRow FromRecord(System.Data.Common.DbDataReader r) => new(
        r.GetInt64(0),
        r.GetInt32(1),
        (TrialState)r.GetInt32(2),
        r.IsDBNull(3) ? null : r.GetDouble(3),
        FromTicks(r.IsDBNull(4) ? null : r.GetInt64(4)),
        FromTicks(r.IsDBNull(5) ? null : r.GetInt64(5)));

    /// <summary>Times are stored as UTC ticks.</summary>
    public static DateTime? FromTicks(long? ticks) => ticks is long t ? new DateTime(t, DateTimeKind.Utc) : null;

    public void AddParam(string name, double internalValue, string distributionJson)
    {
        Params[name] = internalValue;
        Distributions[name] = StorageJson.ParseDistribution(distributionJson);
    }

    public FrozenTrial ToFrozen() => new(Id, Number, State, Value, Start, Complete, Params, Distributions, UserAttrs, SystemAttrs, Intermediate);
}
