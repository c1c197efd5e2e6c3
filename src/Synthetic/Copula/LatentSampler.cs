namespace Pipelines.Synthetic;

/// <summary>
/// Draws latent rows x ~ N(0, R). Unconditional: x = L e. Conditioned on one column c lying in
/// [a, b]: x_c from the truncated standard normal, the others from the Gaussian conditional
/// x_r | x_c ~ N(R_rc x_c, R_rr − R_rc R_cr) — exact, no rejection.
/// Latents are written column-major: latent[j * stride + row].
/// </summary>
internal sealed class LatentSampler
{
    private readonly int _d;
    private readonly double[] _factor;
    private readonly int _conditioned;
    private readonly double _low;
    private readonly double _high;
    private readonly double[] _beta;

    private LatentSampler(int d, double[] factor, int conditioned, double low, double high, double[] beta)
    {
        _d = d;
        _factor = factor;
        _conditioned = conditioned;
        _low = low;
        _high = high;
        _beta = beta;
    }

    public int Dimension => _d;

    public static LatentSampler Unconditional(double[,] correlation) =>
        new(correlation.GetLength(0), RegularizedCholesky.Factor(correlation, out _), -1, 0, 0, []);

    public static LatentSampler Conditional(double[,] correlation, int column, double low, double high)
    {
        int d = correlation.GetLength(0);
        var beta = new double[d];
        var conditional = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            beta[i] = i == column ? 0.0 : correlation[i, column];
        }

        // Covariance of the others given x_c; the conditioned column gets a unit placeholder.
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                conditional[i, j] = i == column || j == column
                    ? (i == j ? 1.0 : 0.0)
                    : correlation[i, j] - beta[i] * beta[j];
            }
        }

        return new LatentSampler(d, RegularizedCholesky.Factor(conditional, out _), column, low, high, beta);
    }

    /// <summary>Fills rows [0, count) of a column-major buffer with row stride <paramref name="stride"/>.</summary>
    public void Fill(Span<double> latent, int stride, int count, ref SeededRandom random)
    {
        int d = _d;
        Span<double> e = d <= 256 ? stackalloc double[d] : new double[d];
        var factor = _factor;
        for (int r = 0; r < count; r++)
        {
            for (int k = 0; k < d; k++)
            {
                e[k] = random.NextGaussian();
            }

            double xc = 0;
            if (_conditioned >= 0)
            {
                xc = TruncatedNormal(ref random);
                e[_conditioned] = 0.0;
            }

            int p = 0;
            for (int j = 0; j < d; j++)
            {
                double x = 0;
                for (int k = 0; k <= j; k++)
                {
                    x += factor[p + k] * e[k];
                }

                p += j + 1;
                latent[j * stride + r] = _conditioned < 0 ? x : (j == _conditioned ? xc : x + _beta[j] * xc);
            }
        }
    }

    private double TruncatedNormal(ref SeededRandom random)
    {
        // Sample on the side of the tail nearer zero so that Φ keeps its precision.
        bool flip = _low > 0;
        double a = flip ? -_high : _low;
        double b = flip ? -_low : _high;
        double pa = StandardNormal.Cdf(a);
        double pb = StandardNormal.Cdf(b);
        double x = StandardNormal.InverseCdf(pa + random.NextOpenDouble() * (pb - pa));
        x = Math.Clamp(x, a, b);
        return flip ? -x : x;
    }
}
