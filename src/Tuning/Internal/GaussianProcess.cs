using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Pipelines.Tuning.Internal;

/// <summary>
/// A Gaussian process with a Matérn 5/2 ARD kernel on inputs scaled to [0, 1] (categorical dimensions use a
/// 0/1 mismatch distance), hyperparameters fitted by maximising the log marginal likelihood (plus weak priors)
/// with L-BFGS. Outputs are standardised before fitting.
/// </summary>
internal sealed class GaussianProcess
{
    private const double Sqrt5 = 2.2360679774997896964;
    private const double NoiseFloor = 1e-6;
    private readonly double[][] _x;
    private readonly bool[] _categorical;
    private readonly int _n, _d;
    private double[] _invSqLengthscales = [];
    private double _signal;
    private double[] _alpha = [];
    private double[,] _lower = new double[0, 0];

    private GaussianProcess(double[][] x, bool[] categorical)
    {
        _x = x;
        _categorical = categorical;
        _n = x.Length;
        _d = categorical.Length;
    }

    /// <summary>Fitted hyperparameters: log lengthscales (d), log signal variance, log excess noise.</summary>
    public double[] Theta { get; private set; } = [];

    /// <summary>Fits a GP to standardised targets <paramref name="y"/>, starting the search from <paramref name="initialTheta"/> when given.</summary>
    public static GaussianProcess Fit(double[][] x, bool[] categorical, double[] y, double[]? initialTheta)
    {
        var gp = new GaussianProcess(x, categorical);
        int d = categorical.Length;
        var sq = gp.SquaredDistances();
        var start = initialTheta is { Length: var len } && len == d + 2 ? initialTheta : DefaultTheta(d);

        double bestValue = double.PositiveInfinity;
        double[] best = start;
        (double, Vector<double>) Evaluate(Vector<double> theta)
        {
            var (value, grad) = gp.NegativeLogPosterior(theta.AsArray(), sq, y);
            if (value < bestValue)
            {
                bestValue = value;
                best = theta.ToArray();
            }

            return (value, Vector<double>.Build.DenseOfArray(grad));
        }

        try
        {
            var minimizer = new LimitedMemoryBfgsMinimizer(1e-3, 1e-5, 1e-6, 6, ReferenceEquals(start, initialTheta) ? 20 : 50);
            minimizer.FindMinimum(ObjectiveFunction.Gradient(Evaluate), Vector<double>.Build.DenseOfArray((double[])start.Clone()));
        }
        catch (Exception ex) when (ex is MaximumIterationsException or OptimizationException or ArgumentException or InvalidOperationException)
        {
            // Line-search trouble: keep the best point seen so far.
        }

        gp.Condition(best, y);
        return gp;
    }

    private static double[] DefaultTheta(int d)
    {
        var t = new double[d + 2];
        Array.Fill(t, Math.Log(0.5), 0, d);
        t[d] = 0;
        t[d + 1] = Math.Log(1e-4);
        return t;
    }

    private double[][,] SquaredDistances()
    {
        var sq = new double[_d][,];
        for (int k = 0; k < _d; k++)
        {
            var m = new double[_n, _n];
            for (int i = 0; i < _n; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    double diff = _x[i][k] - _x[j][k];
                    double v = _categorical[k] ? (diff == 0 ? 0 : 1) : diff * diff;
                    m[i, j] = v;
                    m[j, i] = v;
                }
            }

            sq[k] = m;
        }

        return sq;
    }

    private (double Value, double[] Gradient) NegativeLogPosterior(double[] theta, double[][,] sq, double[] y)
    {
        int n = _n, d = _d;
        var grad = new double[d + 2];
        for (int k = 0; k < theta.Length; k++)
        {
            if (!double.IsFinite(theta[k]) || Math.Abs(theta[k]) > 30)
            {
                return (1e10, grad);
            }
        }

        var inv = new double[d];
        for (int k = 0; k < d; k++)
        {
            inv[k] = Math.Exp(-2 * theta[k]);
        }

        double s2 = Math.Exp(theta[d]);
        double excess = Math.Exp(theta[d + 1]);
        double noise = NoiseFloor + excess;
        var r = new double[n, n];
        var kf = Matrix<double>.Build.Dense(n, n);
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double r2 = 0;
                for (int k = 0; k < d; k++)
                {
                    r2 += sq[k][i, j] * inv[k];
                }

                double rr = Math.Sqrt(r2);
                double v = s2 * (1 + (Sqrt5 * rr) + (5.0 / 3.0 * r2)) * Math.Exp(-Sqrt5 * rr);
                r[i, j] = rr;
                r[j, i] = rr;
                kf[i, j] = v;
                kf[j, i] = v;
            }
        }

        var kMat = kf.Clone();
        for (int i = 0; i < n; i++)
        {
            kMat[i, i] += noise;
        }

        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> chol;
        try
        {
            chol = kMat.Cholesky();
        }
        catch (ArgumentException)
        {
            return (1e10, grad);
        }

        var yv = Vector<double>.Build.DenseOfArray(y);
        var alpha = chol.Solve(yv);
        double logDet = 0;
        var l = chol.Factor;
        for (int i = 0; i < n; i++)
        {
            logDet += Math.Log(l[i, i]);
        }

        double nll = (0.5 * yv.DotProduct(alpha)) + logDet + (0.5 * n * Math.Log(2 * Math.PI));
        var kInv = chol.Solve(Matrix<double>.Build.DenseIdentity(n));

        // dNLL/dθ = -0.5 tr((ααᵀ - K⁻¹) dK/dθ); W = ααᵀ - K⁻¹ is symmetric.
        double gS = 0, gNoise = 0;
        var gL = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double w = (alpha[i] * alpha[j]) - kInv[i, j];
                gS += w * kf[i, j];
                double rr = r[i, j];
                double common = w * s2 * (5.0 / 3.0) * (1 + (Sqrt5 * rr)) * Math.Exp(-Sqrt5 * rr);
                for (int k = 0; k < d; k++)
                {
                    gL[k] += common * sq[k][i, j] * inv[k];
                }
            }

            gNoise += (alpha[i] * alpha[i]) - kInv[i, i];
        }

        for (int k = 0; k < d; k++)
        {
            grad[k] = -0.5 * gL[k];
        }

        grad[d] = -0.5 * gS;
        grad[d + 1] = -0.5 * gNoise * excess;

        // Weak priors keep the fit sane with few points: lengthscales near the unit cube's scale, unit signal, small noise.
        double prior = 0;
        for (int k = 0; k < d; k++)
        {
            double z = (theta[k] - Math.Log(0.5)) / 1.5;
            prior += 0.5 * z * z;
            grad[k] += z / 1.5;
        }

        double zs = theta[d] / 2.0;
        prior += 0.5 * zs * zs;
        grad[d] += zs / 2.0;
        double zn = (theta[d + 1] - Math.Log(1e-4)) / 3.0;
        prior += 0.5 * zn * zn;
        grad[d + 1] += zn / 3.0;

        double value = nll + prior;
        return double.IsFinite(value) ? (value, grad) : (1e10, new double[d + 2]);
    }

    private void Condition(double[] theta, double[] y)
    {
        Theta = theta;
        _invSqLengthscales = new double[_d];
        for (int k = 0; k < _d; k++)
        {
            _invSqLengthscales[k] = Math.Exp(-2 * theta[k]);
        }

        _signal = Math.Exp(theta[_d]);
        double noise = NoiseFloor + Math.Exp(theta[_d + 1]);
        var kMat = Matrix<double>.Build.Dense(_n, _n);
        for (int i = 0; i < _n; i++)
        {
            for (int j = 0; j <= i; j++)
            {
                double v = Kernel(_x[i], _x[j]);
                kMat[i, j] = v;
                kMat[j, i] = v;
            }

            kMat[i, i] += noise;
        }

        MathNet.Numerics.LinearAlgebra.Factorization.Cholesky<double> chol;
        try
        {
            chol = kMat.Cholesky();
        }
        catch (ArgumentException)
        {
            for (int i = 0; i < _n; i++)
            {
                kMat[i, i] += 1e-3;
            }

            chol = kMat.Cholesky();
        }

        _alpha = chol.Solve(Vector<double>.Build.DenseOfArray(y)).ToArray();
        _lower = chol.Factor.ToArray();
    }

    private double Kernel(double[] a, double[] b)
    {
        double r2 = 0;
        for (int k = 0; k < _d; k++)
        {
            double diff = a[k] - b[k];
            r2 += (_categorical[k] ? (diff == 0 ? 0 : 1) : diff * diff) * _invSqLengthscales[k];
        }

        double r = Math.Sqrt(r2);
        return _signal * (1 + (Sqrt5 * r) + (5.0 / 3.0 * r2)) * Math.Exp(-Sqrt5 * r);
    }

    /// <summary>Posterior mean and standard deviation (of the latent function) at <paramref name="x"/>.</summary>
    public (double Mean, double Std) Predict(double[] x, double[] scratch)
    {
        double mean = 0;
        for (int i = 0; i < _n; i++)
        {
            double k = Kernel(x, _x[i]);
            scratch[i] = k;
            mean += k * _alpha[i];
        }

        // v = L⁻¹ k*, var = k(x,x) - vᵀv.
        double vv = 0;
        for (int i = 0; i < _n; i++)
        {
            double s = scratch[i];
            for (int j = 0; j < i; j++)
            {
                s -= _lower[i, j] * scratch[j];
            }

            s /= _lower[i, i];
            scratch[i] = s;
            vv += s * s;
        }

        double variance = Math.Max(_signal - vv, 1e-12);
        return (mean, Math.Sqrt(variance));
    }

    /// <summary>log expected improvement below <paramref name="best"/> (minimisation), stable far into the tail.</summary>
    public static double LogExpectedImprovement(double mean, double std, double best)
    {
        double z = (best - mean) / std;
        return Math.Log(std) + LogH(z);
    }

    /// <summary>log(φ(z) + zΦ(z)).</summary>
    internal static double LogH(double z)
    {
        if (z > -3)
        {
            return Math.Log(Math.Exp(NormalMath.LogPdf(z)) + (z * NormalMath.Cdf(z)));
        }

        double t = -z;
        if (t < 30)
        {
            // h(z) = φ(t)(1 − t·m(t)) with Mills' ratio m(t) = Φ(−t)/φ(t) from its continued fraction.
            double f = t;
            for (int k = 120; k >= 1; k--)
            {
                f = t + (k / f);
            }

            return NormalMath.LogPdf(t) + Math.Log(1 - (t / f));
        }

        // Asymptotic expansion: h(z) ≈ φ(z)(1/z² − 3/z⁴ + 15/z⁶ − 105/z⁸).
        double z2 = z * z;
        double series = (1 / z2) - (3 / (z2 * z2)) + (15 / (z2 * z2 * z2)) - (105 / (z2 * z2 * z2 * z2));
        return NormalMath.LogPdf(z) + Math.Log(series);
    }

    public int Count => _n;
}
