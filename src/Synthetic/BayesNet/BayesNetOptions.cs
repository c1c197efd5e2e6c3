namespace Pipelines.Synthetic;

/// <summary>Options of the Bayesian-network synthesizer (plain data; see <see cref="BayesNetOptionsValidator"/>).</summary>
public sealed class BayesNetOptions
{
    /// <summary>Parents per column: how many columns each column is drawn conditional on. Default 2 (PrivBayes' usual degree).</summary>
    public int Degree { get; set; } = 2;

    /// <summary>Numeric columns with more distinct values are cut into this many quantile bins. Default 20.</summary>
    public int MaxBins { get; set; } = 20;

    /// <summary>Conditional sampling may draw at most this many candidate rows per requested row before it gives up. Default 200.</summary>
    public int ConditionBudget { get; set; } = 200;
}
