using MathNet.Numerics.Distributions;

namespace Pipelines.Synthetic;

/// <summary>Φ and Φ⁻¹ for the standard normal, clamped so that tails never produce infinities.</summary>
internal static class StandardNormal
{
    /// <summary>Smallest probability passed to Φ⁻¹.</summary>
    public const double MinProbability = 1e-12;

    public static double Cdf(double z) => Normal.CDF(0.0, 1.0, z);

    public static double InverseCdf(double p) =>
        Normal.InvCDF(0.0, 1.0, Math.Clamp(p, MinProbability, 1.0 - MinProbability));

    /// <summary>
    /// E[Z | Φ(Z) ∈ [pLow, pHigh]] = (φ(a) − φ(b)) / (pHigh − pLow): the normal score of a tie
    /// or category. Mean scores (rather than random points inside the interval) keep exact
    /// links between columns, e.g. two columns that always agree get correlation 1.
    /// </summary>
    public static double IntervalMean(double pLow, double pHigh)
    {
        double width = pHigh - pLow;
        if (width < 1e-9)
        {
            return InverseCdf(0.5 * (pLow + pHigh));
        }

        double da = pLow <= 0 ? 0.0 : Normal.PDF(0.0, 1.0, Normal.InvCDF(0.0, 1.0, pLow));
        double db = pHigh >= 1 ? 0.0 : Normal.PDF(0.0, 1.0, Normal.InvCDF(0.0, 1.0, pHigh));
        return (da - db) / width;
    }
}
