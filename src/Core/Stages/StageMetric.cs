using System.Text.Json.Serialization;

namespace Pipelines.Core;

/// <summary>
/// A number a stage declares as a result worth comparing across runs (<c>exp show</c>, <c>metrics diff</c>),
/// as opposed to the other key figures of its summary.
/// </summary>
public sealed record StageMetric
{
    /// <summary>Creates a metric; the name is the stage's own (<c>accuracy</c>), the run log prefixes the stage id.</summary>
    public StageMetric(string name, double value, MetricDirection direction)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Value = value;
        Direction = direction;
    }

    /// <summary>The metric's name within its stage.</summary>
    [JsonPropertyName("name")] public string Name { get; }
    /// <summary>Its value (NaN when there was nothing to measure: a study with no complete trial).</summary>
    [JsonPropertyName("value"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] public double Value { get; }
    /// <summary>Which way it improves.</summary>
    [JsonPropertyName("direction")] public MetricDirection Direction { get; }
}
