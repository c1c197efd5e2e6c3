using System.Text.Json.Nodes;

namespace Pipelines.Tuning;

/// <summary>
/// The set of values one parameter may take. Samplers work on an <em>internal</em> double
/// representation: a float's value, an integer's value, or the index of a categorical choice.
/// </summary>
public abstract class Distribution : IEquatable<Distribution>
{
    private protected Distribution()
    {
    }

    /// <summary>True when the distribution holds exactly one value (nothing to search).</summary>
    public abstract bool IsSingle { get; }

    /// <summary>The user-facing value for an internal value (double, long, or the categorical choice).</summary>
    public abstract object? ToExternal(double internalValue);

    /// <summary>The internal value for a user-facing value; throws <see cref="ArgumentException"/> when it is outside the distribution.</summary>
    public abstract double ToInternal(object? externalValue);

    /// <summary>Whether an internal value lies inside the distribution (bounds, step, integrality).</summary>
    public abstract bool Contains(double internalValue);

    /// <summary>A JSON description used by storages and reports.</summary>
    public abstract JsonObject ToJson();

    /// <summary>Maps a uniform number in [0, 1) onto an internal value, uniform on the distribution's own scale (log for log distributions).</summary>
    internal abstract double FromUnit(double u);

    /// <summary>Reads the JSON written by <see cref="ToJson"/>.</summary>
    public static Distribution FromJson(JsonObject json)
    {
        ArgumentNullException.ThrowIfNull(json);
        string type = json["type"]?.GetValue<string>() ?? throw new ArgumentException("Distribution JSON has no 'type'.", nameof(json));
        return type switch
        {
            "float" => FloatDistribution.FromJsonObject(json),
            "int" => IntDistribution.FromJsonObject(json),
            "categorical" => CategoricalDistribution.FromJsonObject(json),
            _ => throw new ArgumentException($"Unknown distribution type '{type}'.", nameof(json)),
        };
    }

    /// <inheritdoc />
    public abstract bool Equals(Distribution? other);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Distribution d && Equals(d);

    /// <inheritdoc />
    public abstract override int GetHashCode();

    /// <inheritdoc />
    public override string ToString() => ToJson().ToJsonString();
}
