using static TorchSharp.torch;

namespace Pipelines.Eval;

/// <summary>
/// Multinomial logistic regression with an L2 penalty on the weights (not the intercepts), fitted by Newton's method
/// with a backtracking line search in float64: the minimiser of
/// <c>(1/n) Σ −log softmax(W·z(x) + b)[y] + (λ/2)‖W‖²</c>, where <c>z</c> standardises each feature by the training
/// rows' mean and (population) standard deviation. Deterministic: same rows, same weights.
/// </summary>
public sealed class LogisticRegression
{
    /// <summary>Newton iterations at most.</summary>
    public const int MaxIterations = 50;

    /// <summary>The fit stops when every gradient component is below this.</summary>
    public const double GradientTolerance = 1e-9;

    private readonly double[] _mean;
    private readonly double[] _scale;

    private LogisticRegression(double[] mean, double[] scale, double[,] weights, double[] intercepts, int iterations)
    {
        _mean = mean;
        _scale = scale;
        Weights = weights;
        Intercepts = intercepts;
        Iterations = iterations;
    }

    /// <summary>Weights [class, feature] on the standardised features.</summary>
    public double[,] Weights { get; }

    /// <summary>One intercept per class.</summary>
    public double[] Intercepts { get; }

    /// <summary>Newton iterations the fit took.</summary>
    public int Iterations { get; }

    /// <summary>Fits the model to rows <paramref name="x"/> (all the same width) with class ids <paramref name="y"/> in [0, <paramref name="classes"/>).</summary>
    /// <exception cref="ArgumentException">The rows are empty or ragged, a label is out of range, or <paramref name="l2"/> is not positive.</exception>
    public static LogisticRegression Fit(IReadOnlyList<float[]> x, IReadOnlyList<int> y, int classes, double l2)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0 || x.Count != y.Count)
        {
            throw new ArgumentException($"Logistic regression needs as many labels as rows, and at least one row; got {x.Count} rows and {y.Count} labels.", nameof(x));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(l2);
        int n = x.Count, d = x[0].Length, k = classes;
        if (x.Any(r => r.Length != d) || y.Any(l => l < 0 || l >= k))
        {
            throw new ArgumentException("Every row must have the same width and every label must be a class id.", nameof(x));
        }

        var mean = new double[d];
        var scale = new double[d];
        for (var j = 0; j < d; j++)
        {
            double sum = 0, squares = 0;
            for (var i = 0; i < n; i++)
            {
                sum += x[i][j];
            }

            mean[j] = sum / n;
            for (var i = 0; i < n; i++)
            {
                var c = x[i][j] - mean[j];
                squares += c * c;
            }

            var sd = Math.Sqrt(squares / n);
            scale[j] = sd > 1e-12 ? sd : 1.0; // a constant feature stays at zero
        }

        using var scope = NewDisposeScope();
        var design = new double[n * (d + 1)];
        var onehot = new double[n * k];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                design[(i * (d + 1)) + j] = (x[i][j] - mean[j]) / scale[j];
            }

            design[(i * (d + 1)) + d] = 1.0;
            onehot[(i * k) + y[i]] = 1.0;
        }

        var xa = tensor(design, [n, d + 1], ScalarType.Float64);
        var targets = tensor(onehot, [n, k], ScalarType.Float64);
        // Penalty per parameter (class-major, as theta is flattened): λ on weights, a tiny ridge on the intercepts,
        // whose common shift leaves softmax unchanged, so the Hessian stays invertible.
        var penalty = ones([k, d + 1], ScalarType.Float64).mul(l2);
        penalty.select(1, d).fill_(0.0);
        var ridge = ones([k, d + 1], ScalarType.Float64).mul(1e-10).add(penalty).reshape(-1);
        var theta = zeros([k, d + 1], ScalarType.Float64);

        double Objective(Tensor t)
        {
            using var s = NewDisposeScope();
            var logp = nn.functional.log_softmax(xa.matmul(t.t()), 1);
            return (-(logp.mul(targets).sum().item<double>() / n)) + (0.5 * penalty.mul(t).mul(t).sum().item<double>());
        }

        var iterations = 0;
        var current = Objective(theta);
        for (; iterations < MaxIterations; iterations++)
        {
            using var step = NewDisposeScope();
            var p = nn.functional.softmax(xa.matmul(theta.t()), 1); // [n, k]
            var gradient = p.sub(targets).t().matmul(xa).div(n).add(penalty.mul(theta)); // [k, d+1]
            if (gradient.abs().max().item<double>() < GradientTolerance)
            {
                break;
            }

            var rows = new List<Tensor>();
            for (var a = 0; a < k; a++)
            {
                var row = new List<Tensor>();
                for (var b = 0; b < k; b++)
                {
                    var w = p.select(1, a).mul((a == b ? 1.0 : 0.0) - p.select(1, b)); // δ_ab p_a − p_a p_b
                    row.Add(xa.t().mul(w).matmul(xa).div(n));
                }

                rows.Add(cat(row, 1));
            }

            var hessian = cat(rows, 0).add(diag(ridge));
            var direction = linalg.solve(hessian, gradient.reshape(-1, 1)).reshape(k, d + 1);
            var size = 1.0;
            var accepted = false;
            for (var halvings = 0; halvings < 30; halvings++, size /= 2)
            {
                var candidate = theta.sub(direction.mul(size));
                var value = Objective(candidate);
                if (value <= current)
                {
                    theta.copy_(candidate);
                    current = value;
                    accepted = true;
                    break;
                }
            }

            if (!accepted)
            {
                break; // at the floating-point floor of the objective
            }
        }

        var values = theta.contiguous().data<double>().ToArray();
        var weights = new double[k, d];
        var intercepts = new double[k];
        for (var a = 0; a < k; a++)
        {
            for (var j = 0; j < d; j++)
            {
                weights[a, j] = values[(a * (d + 1)) + j];
            }

            intercepts[a] = values[(a * (d + 1)) + d];
        }

        return new LogisticRegression(mean, scale, weights, intercepts, iterations);
    }

    /// <summary>Class probabilities for one row.</summary>
    public double[] Probabilities(float[] row)
    {
        ArgumentNullException.ThrowIfNull(row);
        int k = Intercepts.Length, d = _mean.Length;
        if (row.Length != d)
        {
            throw new ArgumentException($"The model was fitted on rows of {d} features, not {row.Length}.", nameof(row));
        }

        var logits = new double[k];
        for (var a = 0; a < k; a++)
        {
            var z = Intercepts[a];
            for (var j = 0; j < d; j++)
            {
                z += Weights[a, j] * (row[j] - _mean[j]) / _scale[j];
            }

            logits[a] = z;
        }

        var max = logits.Max();
        var exp = logits.Select(l => Math.Exp(l - max)).ToArray();
        var total = exp.Sum();
        return exp.Select(e => e / total).ToArray();
    }

    /// <summary>The likeliest class of each row (the lowest id on a tie).</summary>
    public int[] Predict(IReadOnlyList<float[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Select(r =>
        {
            var p = Probabilities(r);
            var best = 0;
            for (var a = 1; a < p.Length; a++)
            {
                if (p[a] > p[best])
                {
                    best = a;
                }
            }

            return best;
        }).ToArray();
    }
}
