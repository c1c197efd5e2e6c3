namespace Pipelines.Synthetic;

/// <summary>Candidate distributions for a numeric column's marginal in the Gaussian copula.</summary>
public enum MarginalFamily
{
    /// <summary>Normal(mean, sd).</summary>
    Normal,

    /// <summary>Normal(mean, sd) truncated to the observed [min, max].</summary>
    TruncatedNormal,

    /// <summary>Beta(α, β) scaled to the observed [min, max].</summary>
    Beta,

    /// <summary>Gamma(shape, rate) shifted to start just below the observed min.</summary>
    Gamma,

    /// <summary>Uniform on the observed [min, max].</summary>
    Uniform,

    /// <summary>The empirical quantile function (used when no parametric family fits well).</summary>
    Empirical,
}
