namespace Pipelines.Synthetic;

/// <summary>Options of the Gaussian copula synthesizer (plain data; see <see cref="GaussianCopulaOptionsValidator"/>).</summary>
public sealed class GaussianCopulaOptions
{
    /// <summary>Candidate marginal families for numeric columns. Default: all six.</summary>
    public List<MarginalFamily> Families { get; set; } =
    [
        MarginalFamily.Normal, MarginalFamily.TruncatedNormal, MarginalFamily.Beta,
        MarginalFamily.Gamma, MarginalFamily.Uniform, MarginalFamily.Empirical,
    ];

    /// <summary>
    /// A parametric family is used only when its KS statistic is at most this; otherwise the
    /// empirical quantile function (when among <see cref="Families"/>). Default 0.05.
    /// </summary>
    public double EmpiricalThreshold { get; set; } = 0.05;

    /// <summary>Number of quantiles kept by the empirical marginal (bounds its memory and how much it can copy). Default 1001.</summary>
    public int QuantileCount { get; set; } = 1001;

    /// <summary>
    /// Conditional sampling may draw at most this many candidate rows per requested row before
    /// it gives up with an error. Default 200.
    /// </summary>
    public int ConditionBudget { get; set; } = 200;
}
