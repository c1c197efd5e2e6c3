using MathNet.Numerics;

namespace Pipelines.Tuning.Internal;

/// <summary>Standard normal helpers with care for the tails.</summary>
internal static class NormalMath
{
    public const double LogSqrt2Pi = 0.91893853320467274178;
    private const double InvSqrt2 = 0.70710678118654752440;

    /// <summary>Φ(z), the standard normal CDF.</summary>
    public static double Cdf(double z) => 0.5 * SpecialFunctions.Erfc(-z * InvSqrt2);

    /// <summary>log φ(z).</summary>
    public static double LogPdf(double z) => -0.5 * z * z - LogSqrt2Pi;

    /// <summary>Φ⁻¹(p).</summary>
    public static double InvCdf(double p) => -1.4142135623730950488 * SpecialFunctions.ErfcInv(2 * p);

    /// <summary>log(Φ(b) - Φ(a)) for a &lt; b, accurate when both lie in the same tail.</summary>
    public static double LogDiffCdf(double a, double b)
    {
        double diff = a > 0 ? Cdf(-a) - Cdf(-b) : Cdf(b) - Cdf(a);
        if (diff > 1e-300)
        {
            return Math.Log(diff);
        }

        // Far in a tail: the mass is about the density at the nearer end times the width (an upper bound's log is fine here).
        double z = Math.Min(Math.Abs(a), Math.Abs(b));
        return LogPdf(z) + Math.Log(b - a);
    }

    /// <summary>log Σ exp(values), stable.</summary>
    public static double LogSumExp(ReadOnlySpan<double> values)
    {
        double max = double.NegativeInfinity;
        foreach (double v in values)
        {
            if (v > max)
            {
                max = v;
            }
        }

        if (double.IsNegativeInfinity(max))
        {
            return max;
        }

        double sum = 0;
        foreach (double v in values)
        {
            sum += Math.Exp(v - max);
        }

        return max + Math.Log(sum);
    }
}
