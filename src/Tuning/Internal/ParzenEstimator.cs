using System.Diagnostics;

namespace Pipelines.Tuning.Internal;

/// <summary>
/// A mixture of truncated Gaussian (numerical) and smoothed categorical kernels, one kernel per observation
/// plus an optional prior kernel (Optuna's TPE estimator). Exposes only <see cref="Sample"/> and <see cref="LogPdf"/>.
/// </summary>
internal sealed class ParzenEstimator
{
    private readonly Dimension[] _dims;
    private readonly double[] _logWeights;
    private readonly double[] _cumulativeWeights;

    /// <param name="distributions">One distribution per dimension.</param>
    /// <param name="observations">Per dimension, the internal values of the n observations (oldest first).</param>
    /// <param name="weights">n observation weights (before the prior is appended).</param>
    /// <param name="p">Kernel placement options.</param>
    public ParzenEstimator(IReadOnlyList<Distribution> distributions, IReadOnlyList<double[]> observations, double[] weights, ParzenEstimatorParameters p)
    {
        Debug.Assert(distributions.Count == observations.Count, "one observation column per dimension");
        int n = weights.Length;
        int kernels = n + (p.ConsiderPrior || n == 0 ? 1 : 0);
        var w = new double[kernels];
        Array.Copy(weights, w, n);
        if (kernels > n)
        {
            w[n] = n == 0 ? 1.0 : p.PriorWeight;
        }

        double total = w.Sum();
        _logWeights = new double[kernels];
        _cumulativeWeights = new double[kernels];
        double acc = 0;
        for (int k = 0; k < kernels; k++)
        {
            _logWeights[k] = Math.Log(w[k] / total);
            acc += w[k] / total;
            _cumulativeWeights[k] = acc;
        }

        _dims = new Dimension[distributions.Count];
        for (int d = 0; d < _dims.Length; d++)
        {
            _dims[d] = distributions[d] is CategoricalDistribution c
                ? new CategoricalDimension(c, observations[d], kernels, p)
                : new NumericalDimension(distributions[d], observations[d], kernels, distributions.Count, p);
        }
    }

    public int KernelCount => _logWeights.Length;

    /// <summary>Draws <paramref name="count"/> points; returns one array of internal values per dimension.</summary>
    public double[][] Sample(DeterministicRandom rng, int count)
    {
        var result = new double[_dims.Length][];
        for (int d = 0; d < _dims.Length; d++)
        {
            result[d] = new double[count];
        }

        for (int i = 0; i < count; i++)
        {
            double u = rng.NextDouble();
            int k = Array.BinarySearch(_cumulativeWeights, u);
            k = k >= 0 ? k : Math.Min(~k, _cumulativeWeights.Length - 1);
            for (int d = 0; d < _dims.Length; d++)
            {
                result[d][i] = _dims[d].Sample(rng, k);
            }
        }

        return result;
    }

    /// <summary>Log density of each point (points given as one array of internal values per dimension).</summary>
    public double[] LogPdf(double[][] points)
    {
        int m = points.Length == 0 ? 0 : points[0].Length;
        int kernels = _logWeights.Length;
        var result = new double[m];
        var perKernel = new double[kernels];
        for (int i = 0; i < m; i++)
        {
            _logWeights.CopyTo(perKernel, 0);
            for (int d = 0; d < _dims.Length; d++)
            {
                _dims[d].AddLogPdf(points[d][i], perKernel);
            }

            result[i] = LogSumExpPruned(perKernel);
        }

        return result;
    }

    /// <summary>log Σ exp, skipping terms more than 40 nats below the largest (they cannot change a double).</summary>
    private static double LogSumExpPruned(double[] values)
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

        double sum = 0, floor = max - 40;
        foreach (double v in values)
        {
            if (v > floor)
            {
                sum += Math.Exp(v - max);
            }
        }

        return max + Math.Log(sum);
    }

    /// <summary>Optuna's default observation weights: flat for the newest 25, a ramp for older ones.</summary>
    public static double[] DefaultWeights(int n)
    {
        var w = new double[n];
        if (n < 25)
        {
            Array.Fill(w, 1.0);
            return w;
        }

        int ramp = n - 25;
        for (int i = 0; i < ramp; i++)
        {
            w[i] = ramp == 1 ? 1.0 / n : (1.0 / n) + ((1.0 - (1.0 / n)) * i / (ramp - 1));
        }

        for (int i = ramp; i < n; i++)
        {
            w[i] = 1.0;
        }

        return w;
    }

    private abstract class Dimension
    {
        public abstract double Sample(DeterministicRandom rng, int kernel);

        public abstract void AddLogPdf(double x, double[] perKernel);
    }

    private sealed class CategoricalDimension : Dimension
    {
        private readonly double[][] _logProbs;
        private readonly double[][] _cumProbs;

        public CategoricalDimension(CategoricalDistribution dist, double[] obs, int kernels, ParzenEstimatorParameters p)
        {
            int c = dist.Choices.Count;
            _logProbs = new double[kernels][];
            _cumProbs = new double[kernels][];
            for (int k = 0; k < kernels; k++)
            {
                var row = new double[c];
                if (obs.Length == 0)
                {
                    Array.Fill(row, 1.0 / c);
                }
                else
                {
                    Array.Fill(row, p.PriorWeight / kernels);
                    if (k < obs.Length)
                    {
                        row[(int)obs[k]] += 1;
                    }
                }

                double sum = row.Sum();
                _logProbs[k] = new double[c];
                _cumProbs[k] = new double[c];
                double acc = 0;
                for (int j = 0; j < c; j++)
                {
                    _logProbs[k][j] = Math.Log(row[j] / sum);
                    acc += row[j] / sum;
                    _cumProbs[k][j] = acc;
                }
            }
        }

        public override double Sample(DeterministicRandom rng, int kernel)
        {
            double u = rng.NextDouble();
            var cum = _cumProbs[kernel];
            for (int j = 0; j < cum.Length; j++)
            {
                if (u < cum[j])
                {
                    return j;
                }
            }

            return cum.Length - 1;
        }

        public override void AddLogPdf(double x, double[] perKernel)
        {
            int j = (int)x;
            for (int k = 0; k < perKernel.Length; k++)
            {
                perKernel[k] += _logProbs[k][j];
            }
        }
    }

    private sealed class NumericalDimension : Dimension
    {
        private readonly Distribution _dist;
        private readonly bool _log;
        private readonly double _low, _high, _step;
        private readonly double[] _mus, _sigmas, _logNorm, _cdfLow, _cdfHigh, _invSigmas, _continuousLogConst;

        public NumericalDimension(Distribution dist, double[] obs, int kernels, int nDims, ParzenEstimatorParameters p)
        {
            _dist = dist;
            switch (dist)
            {
                case FloatDistribution f:
                    _log = f.Log;
                    _low = f.Log ? Math.Log(f.Low) : f.Low;
                    _high = f.Log ? Math.Log(f.High) : f.High;
                    _step = f.Step ?? 0;
                    break;
                case IntDistribution i when i.Log:
                    // Like Optuna: continuous on log(low - 0.5)..log(high + 0.5), rounded when sampled.
                    _log = true;
                    _low = Math.Log(i.Low - 0.5);
                    _high = Math.Log(i.High + 0.5);
                    _step = 0;
                    break;
                case IntDistribution i:
                    _low = i.Low;
                    _high = i.High;
                    _step = i.Step;
                    break;
                default:
                    throw new ArgumentException($"Unsupported distribution {dist}.");
            }

            int n = obs.Length;
            var mus = new double[kernels];
            for (int k = 0; k < n; k++)
            {
                mus[k] = _log ? Math.Log(obs[k]) : obs[k];
            }

            double span = _high - _low + _step;
            var sigmas = ObservationSigmas(mus.AsSpan(0, n).ToArray(), span, nDims, p);
            var allSigmas = new double[kernels];
            sigmas.CopyTo(allSigmas, 0);
            if (kernels > n)
            {
                mus[n] = 0.5 * (_low + _high);
                allSigmas[n] = span;
            }

            _mus = mus;
            _sigmas = allSigmas;
            _logNorm = new double[kernels];
            _cdfLow = new double[kernels];
            _cdfHigh = new double[kernels];
            _invSigmas = new double[kernels];
            _continuousLogConst = new double[kernels];
            double a = _low - (0.5 * _step), b = _high + (0.5 * _step);
            for (int k = 0; k < kernels; k++)
            {
                double za = (a - _mus[k]) / _sigmas[k], zb = (b - _mus[k]) / _sigmas[k];

                // Φ(−9) ≈ 1e-19: a kernel that deep inside the range needs no erf calls.
                _cdfLow[k] = za < -9 ? 0 : NormalMath.FastCdf(za);
                _cdfHigh[k] = zb > 9 ? 1 : NormalMath.FastCdf(zb);

                // Kernel means lie inside the range, so the mass is rarely tiny; only then take the careful path.
                double mass = _cdfHigh[k] - _cdfLow[k];
                _logNorm[k] = mass > 1e-6 ? Math.Log(mass) : NormalMath.LogDiffCdf(za, zb);
                _invSigmas[k] = 1.0 / _sigmas[k];
                _continuousLogConst[k] = -NormalMath.LogSqrt2Pi - Math.Log(_sigmas[k]) - _logNorm[k];
            }
        }

        private double[] ObservationSigmas(double[] mus, double span, int nDims, ParzenEstimatorParameters p)
        {
            int n = mus.Length;
            var sigmas = new double[n];
            if (n == 0)
            {
                return sigmas;
            }

            if (p.Multivariate)
            {
                Array.Fill(sigmas, 0.2 * Math.Pow(Math.Max(n, 1), -1.0 / (nDims + 4)) * span);
            }
            else
            {
                // Distance to the farther neighbour among the sorted observations, the prior mean and the range ends.
                int m = n + (p.ConsiderPrior ? 1 : 0);
                var withPrior = new double[m];
                mus.CopyTo(withPrior, 0);
                if (p.ConsiderPrior)
                {
                    withPrior[n] = 0.5 * (_low + _high);
                }

                var order = new int[m];
                for (int i = 0; i < m; i++)
                {
                    order[i] = i;
                }

                var keys = (double[])withPrior.Clone();
                Array.Sort(keys, order);
                var sorted = new double[m + 2];
                sorted[0] = _low - (0.5 * _step);
                for (int i = 0; i < m; i++)
                {
                    sorted[i + 1] = withPrior[order[i]];
                }

                sorted[m + 1] = _high + (0.5 * _step);
                var sortedSigmas = new double[m];
                for (int i = 0; i < m; i++)
                {
                    sortedSigmas[i] = Math.Max(sorted[i + 1] - sorted[i], sorted[i + 2] - sorted[i + 1]);
                }

                if (!p.ConsiderEndpoints && sorted.Length >= 4)
                {
                    sortedSigmas[0] = sorted[2] - sorted[1];
                    sortedSigmas[m - 1] = sorted[m] - sorted[m - 1];
                }

                for (int i = 0; i < m; i++)
                {
                    if (order[i] < n)
                    {
                        sigmas[order[i]] = sortedSigmas[i];
                    }
                }
            }

            double maxSigma = span;
            double minSigma = p.ConsiderMagicClip ? span / Math.Min(100.0, 1.0 + n + (p.ConsiderPrior ? 1 : 0)) : 1e-12;
            for (int i = 0; i < n; i++)
            {
                sigmas[i] = Math.Clamp(sigmas[i], minSigma, maxSigma);
            }

            return sigmas;
        }

        public override double Sample(DeterministicRandom rng, int kernel)
        {
            double lo = _cdfLow[kernel], hi = _cdfHigh[kernel];
            double x;
            if (hi - lo > 1e-12)
            {
                double u = lo + (rng.NextOpenDouble() * (hi - lo));
                x = _mus[kernel] + (_sigmas[kernel] * NormalMath.InvCdf(Math.Clamp(u, 1e-300, 1 - 1e-16)));
            }
            else
            {
                x = _mus[kernel];
            }

            x = Math.Clamp(x, _low - (0.5 * _step), _high + (0.5 * _step));
            return Untransform(x);
        }

        private double Untransform(double x) => _dist switch
        {
            FloatDistribution f => f.Snap(_log ? Math.Exp(x) : x),
            IntDistribution i => i.Snap(_log ? Math.Exp(x) : x),
            _ => x,
        };

        public override void AddLogPdf(double x, double[] perKernel)
        {
            double t = _log ? Math.Log(x) : x;
            if (_step > 0)
            {
                double a = t - (0.5 * _step), b = t + (0.5 * _step);
                for (int k = 0; k < perKernel.Length; k++)
                {
                    double s = _sigmas[k];
                    perKernel[k] += NormalMath.LogDiffCdf((a - _mus[k]) / s, (b - _mus[k]) / s) - _logNorm[k];
                }
            }
            else
            {
                for (int k = 0; k < perKernel.Length; k++)
                {
                    double z = (t - _mus[k]) * _invSigmas[k];
                    perKernel[k] += (-0.5 * z * z) + _continuousLogConst[k];
                }
            }
        }
    }
}
