using MathNet.Numerics.Distributions;

namespace Pipelines.Synthetic;

/// <summary>A fitted one-dimensional distribution: CDF for goodness of fit, inverse CDF for sampling.</summary>
internal sealed class MarginalDistribution
{
    public MarginalDistribution(MarginalFamily family, double[] parameters, double ks)
    {
        Family = family;
        Parameters = parameters;
        Ks = ks;
    }

    public MarginalFamily Family { get; }

    /// <summary>
    /// Normal: mean, sd. TruncatedNormal: mean, sd, low, high. Beta: α, β, loc, scale.
    /// Gamma: shape, rate, loc. Uniform: low, high. Empirical: quantiles at evenly spaced probabilities.
    /// </summary>
    public double[] Parameters { get; }

    /// <summary>Kolmogorov–Smirnov statistic against the training values (0 for the empirical CDF).</summary>
    public double Ks { get; }

    public double Cdf(double x)
    {
        var p = Parameters;
        switch (Family)
        {
            case MarginalFamily.Normal:
                return Normal.CDF(p[0], p[1], x);
            case MarginalFamily.TruncatedNormal:
            {
                double lo = Normal.CDF(p[0], p[1], p[2]);
                double hi = Normal.CDF(p[0], p[1], p[3]);
                double c = (Normal.CDF(p[0], p[1], Math.Clamp(x, p[2], p[3])) - lo) / (hi - lo);
                return Math.Clamp(c, 0.0, 1.0);
            }

            case MarginalFamily.Beta:
                return Beta.CDF(p[0], p[1], Math.Clamp((x - p[2]) / p[3], 0.0, 1.0));
            case MarginalFamily.Gamma:
                return x <= p[2] ? 0.0 : Gamma.CDF(p[0], p[1], x - p[2]);
            case MarginalFamily.Uniform:
                return p[1] <= p[0] ? (x < p[0] ? 0.0 : 1.0) : Math.Clamp((x - p[0]) / (p[1] - p[0]), 0.0, 1.0);
            default:
                return EmpiricalCdf(x);
        }
    }

    public double InverseCdf(double u)
    {
        var p = Parameters;
        u = Math.Clamp(u, 1e-12, 1.0 - 1e-12);
        switch (Family)
        {
            case MarginalFamily.Normal:
                return Normal.InvCDF(p[0], p[1], u);
            case MarginalFamily.TruncatedNormal:
            {
                double lo = Normal.CDF(p[0], p[1], p[2]);
                double hi = Normal.CDF(p[0], p[1], p[3]);
                return Math.Clamp(Normal.InvCDF(p[0], p[1], lo + u * (hi - lo)), p[2], p[3]);
            }

            case MarginalFamily.Beta:
                return p[2] + p[3] * Beta.InvCDF(p[0], p[1], u);
            case MarginalFamily.Gamma:
                return p[2] + Gamma.InvCDF(p[0], p[1], u);
            case MarginalFamily.Uniform:
                return p[0] + u * (p[1] - p[0]);
            default:
                return EmpiricalQuantile(u);
        }
    }

    private double EmpiricalQuantile(double u)
    {
        var q = Parameters;
        if (q.Length == 1)
        {
            return q[0];
        }

        double t = u * (q.Length - 1);
        int i = Math.Min((int)t, q.Length - 2);
        double f = t - i;
        return q[i] + f * (q[i + 1] - q[i]);
    }

    private double EmpiricalCdf(double x)
    {
        var q = Parameters;
        if (x < q[0])
        {
            return 0.0;
        }

        if (x >= q[^1])
        {
            return 1.0;
        }

        int i = Array.BinarySearch(q, x);
        if (i < 0)
        {
            i = ~i - 1;
        }

        double width = q[i + 1] - q[i];
        double f = width > 0 ? (x - q[i]) / width : 0.0;
        return (i + f) / (q.Length - 1);
    }
}
