namespace Pipelines.Synthetic;

/// <summary>
/// Fits the candidate families to a column's values and keeps the one with the smallest
/// Kolmogorov–Smirnov statistic; falls back to the empirical quantile function when no
/// parametric family gets under the threshold (it fits the training data by construction,
/// so it cannot compete on KS and is kept for columns no simple family describes).
/// </summary>
internal static class MarginalFitter
{
    /// <summary>Order statistics the KS statistic is evaluated at (evenly spread), for speed on big columns.</summary>
    private const int KsPoints = 2000;

    public static MarginalDistribution Fit(double[] sorted, IReadOnlyList<MarginalFamily> families, double threshold, int quantiles)
    {
        double min = sorted[0];
        double max = sorted[^1];
        var empirical = new MarginalDistribution(MarginalFamily.Empirical, Quantiles(sorted, min == max ? 1 : quantiles), 0.0);
        if (min == max)
        {
            return empirical;
        }

        MarginalDistribution? best = null;
        foreach (var family in families)
        {
            if (family == MarginalFamily.Empirical || Parameters(family, sorted) is not { } parameters)
            {
                continue;
            }

            var candidate = new MarginalDistribution(family, parameters, 0.0);
            double ks = KsStatistic(sorted, candidate);
            if (double.IsFinite(ks) && (best is null || ks < best.Ks))
            {
                best = new MarginalDistribution(family, parameters, ks);
            }
        }

        bool empiricalAllowed = families.Contains(MarginalFamily.Empirical);
        if (best is null || (empiricalAllowed && best.Ks > threshold))
        {
            return empiricalAllowed || best is null ? empirical : best;
        }

        return best;
    }

    /// <summary>Two-sided KS statistic of the sorted sample against a fitted CDF.</summary>
    public static double KsStatistic(double[] sorted, MarginalDistribution distribution)
    {
        int n = sorted.Length;
        int step = Math.Max(1, n / KsPoints);
        double d = 0;
        for (int i = 0; i < n; i += step)
        {
            // For ties, the empirical CDF jumps from (first index)/n to (last index + 1)/n.
            double x = sorted[i];
            int first = i;
            while (first > 0 && sorted[first - 1] == x)
            {
                first--;
            }

            int last = i;
            while (last < n - 1 && sorted[last + 1] == x)
            {
                last++;
            }

            double f = distribution.Cdf(x);
            d = Math.Max(d, Math.Max(Math.Abs(f - (double)first / n), Math.Abs((double)(last + 1) / n - f)));
            i = Math.Max(i, last - step + 1);
        }

        return d;
    }

    private static double[]? Parameters(MarginalFamily family, double[] x)
    {
        double min = x[0];
        double max = x[^1];
        double range = max - min;
        double mean = 0;
        foreach (double v in x)
        {
            mean += v;
        }

        mean /= x.Length;
        double variance = 0;
        foreach (double v in x)
        {
            variance += (v - mean) * (v - mean);
        }

        variance /= Math.Max(1, x.Length - 1);
        double sd = Math.Sqrt(variance);
        if (!(sd > 0))
        {
            return null;
        }

        switch (family)
        {
            case MarginalFamily.Normal:
                return [mean, sd];
            case MarginalFamily.TruncatedNormal:
                return [mean, sd, min, max];
            case MarginalFamily.Uniform:
                return [min, max];
            case MarginalFamily.Beta:
            {
                // Method of moments on the values scaled to (0, 1), with a small margin so the ends keep density.
                double loc = min - range * 1e-6;
                double scale = range * (1 + 2e-6);
                double m = (mean - loc) / scale;
                double v = variance / (scale * scale);
                if (v >= m * (1 - m))
                {
                    return null;
                }

                double common = m * (1 - m) / v - 1;
                return [m * common, (1 - m) * common, loc, scale];
            }

            case MarginalFamily.Gamma:
            {
                double loc = min - range / x.Length;
                double m = mean - loc;
                return [m * m / variance, m / variance, loc];
            }

            default:
                return null;
        }
    }

    private static double[] Quantiles(double[] sorted, int count)
    {
        var q = new double[count];
        if (count == 1)
        {
            q[0] = sorted[0];
            return q;
        }

        int n = sorted.Length;
        for (int k = 0; k < count; k++)
        {
            // Linear interpolation between order statistics (type 7).
            double h = (n - 1) * (double)k / (count - 1);
            int i = (int)h;
            q[k] = i >= n - 1 ? sorted[n - 1] : sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]);
        }

        return q;
    }
}
