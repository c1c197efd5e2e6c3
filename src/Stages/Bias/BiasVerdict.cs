namespace Pipelines.Stages.Bias;

/// <summary>How a threshold was judged against a metric's confidence interval.</summary>
public enum BiasVerdict
{
    /// <summary>The whole interval (or the point, without one) is beyond the limit: the threshold is broken.</summary>
    Broken,

    /// <summary>The interval straddles the limit: a warning, never a failure.</summary>
    Inconclusive,
}
