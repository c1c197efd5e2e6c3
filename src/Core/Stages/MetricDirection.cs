namespace Pipelines.Core;

/// <summary>Which way a metric improves, so a comparison can say better or worse.</summary>
public enum MetricDirection
{
    /// <summary>Neither way is better (a count that only describes the data).</summary>
    None,
    /// <summary>Bigger is better (accuracy, F1).</summary>
    Higher,
    /// <summary>Smaller is better (loss, rows rejected).</summary>
    Lower,
}
