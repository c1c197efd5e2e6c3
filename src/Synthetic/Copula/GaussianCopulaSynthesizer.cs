using System.Buffers;
using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>
/// Gaussian copula synthesizer (the SDV default approach): per-column marginals chosen by a
/// goodness-of-fit statistic, categories as frequency intervals of [0, 1], the correlation of
/// the columns' normal scores, and sampling by Cholesky. Sampling runs in fixed-size blocks,
/// each with its own random stream, so output is bit-identical whatever the thread count.
/// </summary>
public sealed class GaussianCopulaSynthesizer : ISynthesizer
{
    /// <summary>Method name used in pipelines.</summary>
    public const string MethodName = "copula";

    internal const string ModelFile = "copula.json";
    private const int BlockSize = 8192;

    private readonly GaussianCopulaOptions _options;
    private ColumnModel[] _columns = [];
    private double[,] _correlation = new double[0, 0];
    private LatentSampler? _sampler;
    private int _trainingRows;

    /// <summary>Creates an unfitted synthesizer.</summary>
    public GaussianCopulaSynthesizer(GaussianCopulaOptions? options = null)
    {
        options ??= new GaussianCopulaOptions();
        var result = new GaussianCopulaOptionsValidator().Validate(options);
        if (!result.IsValid)
        {
            throw new ArgumentException(string.Join(" ", result.Errors.Select(e => e.ErrorMessage)), nameof(options));
        }

        // Copy so that callers cannot change the options underneath a fitted model.
        _options = new GaussianCopulaOptions
        {
            Families = [.. options.Families],
            EmpiricalThreshold = options.EmpiricalThreshold,
            QuantileCount = options.QuantileCount,
            ConditionBudget = options.ConditionBudget,
        };
    }

    /// <inheritdoc />
    public string Method => MethodName;

    /// <inheritdoc />
    public bool IsFitted => _sampler is not null;

    /// <summary>The chosen marginal of each numeric and timestamp column.</summary>
    public IReadOnlyList<MarginalSummary> Marginals => _columns.OfType<NumericColumnModel>()
        .Select(c => new MarginalSummary(c.Name, c.Marginal.Family, c.Marginal.Ks)).ToArray();

    /// <summary>Correlation matrix of the normal scores, in column order.</summary>
    public double[,] Correlation => (double[,])_correlation.Clone();

    /// <summary>Column names in order.</summary>
    public IReadOnlyList<string> ColumnNames => _columns.Select(c => c.Name).ToArray();

    /// <inheritdoc />
    /// <remarks>The copula's fit is deterministic; <paramref name="seed"/> is accepted for the common contract.</remarks>
    public void Fit(ColumnTable table, long seed)
    {
        TableChecks.CheckTrainable(table);
        int d = table.Columns.Count;
        int n = table.RowCount;
        var columns = new ColumnModel[d];
        var scores = new double[d][];
        Parallel.For(0, d, j =>
        {
            var column = table.Columns[j];
            columns[j] = column.Kind is ColumnKind.Categorical or ColumnKind.Boolean
                ? CategoricalColumnModel.Fit(column)
                : NumericColumnModel.Fit(column, _options);
            var s = new double[n];
            for (int i = 0; i < n; i++)
            {
                s[i] = columns[j].Score(column, i);
            }

            scores[j] = s;
        });

        _correlation = CorrelationOf(scores);
        _trainingRows = n;
        // Rebuild the columns from their documents so a fitted model and a loaded one are the same object graph.
        _columns = columns.Select(c => ColumnModel.FromDocument(c.ToDocument())).ToArray();
        _sampler = LatentSampler.Unconditional(_correlation);
    }

    /// <inheritdoc />
    public ColumnTable Sample(int rows, long seed)
    {
        TableChecks.CheckFitted(IsFitted, Method);
        TableChecks.CheckRows(rows);
        var sampler = _sampler!;
        int d = _columns.Length;
        var targets = _columns.Select(c => ColumnModel.CreateArray(c.Storage, rows)).ToArray();
        int blocks = (rows + BlockSize - 1) / BlockSize;
        Parallel.For(0, blocks, b =>
        {
            int start = b * BlockSize;
            int count = Math.Min(BlockSize, rows - start);
            var buffer = ArrayPool<double>.Shared.Rent(d * count);
            try
            {
                long blockSeed = SeededRandom.Derive(seed, b);
                var random = new SeededRandom(blockSeed);
                sampler.Fill(buffer, count, count, ref random);
                for (int j = 0; j < d; j++)
                {
                    var nullRandom = new SeededRandom(blockSeed, j + 1);
                    _columns[j].Decode(buffer.AsSpan(j * count, count), targets[j], start, ref nullRandom, allowNull: true);
                }
            }
            finally
            {
                ArrayPool<double>.Shared.Return(buffer);
            }
        });

        return new ColumnTable(_columns.Select((c, j) => TableColumn.FromArray(c.Name, targets[j])));
    }

    /// <inheritdoc />
    public ColumnTable Sample(int rows, long seed, IReadOnlyList<ColumnCondition> conditions)
    {
        TableChecks.CheckFitted(IsFitted, Method);
        TableChecks.CheckRows(rows);
        ArgumentNullException.ThrowIfNull(conditions);
        if (conditions.Count == 0)
        {
            return Sample(rows, seed);
        }

        var intervals = ResolveConditions(conditions);

        // Condition exactly on the rarest interval; the others (if any) by rejection on the latents.
        var exact = intervals.MinBy(c => StandardNormal.Cdf(c.High) - StandardNormal.Cdf(c.Low));
        var sampler = LatentSampler.Conditional(_correlation, exact.Column, exact.Low, exact.High);
        var others = intervals.Where(c => c.Column != exact.Column).ToArray();

        int d = _columns.Length;
        var accepted = new double[d * rows];
        var block = new double[d * BlockSize];
        long budget = Math.Max((long)rows * _options.ConditionBudget, BlockSize);
        long drawn = 0;
        int filled = 0;
        for (int b = 0; filled < rows; b++)
        {
            if (drawn >= budget)
            {
                throw new InvalidOperationException(
                    $"Only {filled} of {rows} rows matched the conditions {Describe(conditions)} after {drawn} candidate rows; " +
                    "the combination is too rare for the model. Relax the conditions or raise 'condition_budget'.");
            }

            var random = new SeededRandom(SeededRandom.Derive(seed, b));
            sampler.Fill(block, BlockSize, BlockSize, ref random);
            drawn += BlockSize;
            for (int r = 0; r < BlockSize && filled < rows; r++)
            {
                bool ok = true;
                foreach (var c in others)
                {
                    double z = block[c.Column * BlockSize + r];
                    if (z < c.Low || z > c.High)
                    {
                        ok = false;
                        break;
                    }
                }

                if (!ok)
                {
                    continue;
                }

                for (int j = 0; j < d; j++)
                {
                    accepted[j * rows + filled] = block[j * BlockSize + r];
                }

                filled++;
            }
        }

        var conditioned = intervals.Select(c => c.Column).ToHashSet();
        long decodeSeed = SeededRandom.Derive(seed, -1);
        var targets = new Array[d];
        for (int j = 0; j < d; j++)
        {
            targets[j] = ColumnModel.CreateArray(_columns[j].Storage, rows);
            var nullRandom = new SeededRandom(decodeSeed, j + 1);
            _columns[j].Decode(accepted.AsSpan(j * rows, rows), targets[j], 0, ref nullRandom, allowNull: !conditioned.Contains(j));
        }

        return new ColumnTable(_columns.Select((c, j) => TableColumn.FromArray(c.Name, targets[j])));
    }

    /// <inheritdoc />
    public void Save(string directory)
    {
        TableChecks.CheckFitted(IsFitted, Method);
        Directory.CreateDirectory(directory);
        int d = _columns.Length;
        var document = new CopulaModelDocument
        {
            TrainingRows = _trainingRows,
            Columns = _columns.Select(c => c.ToDocument()).ToList(),
            Correlation = Enumerable.Range(0, d).Select(i => Enumerable.Range(0, d).Select(j => _correlation[i, j]).ToArray()).ToArray(),
        };
        SynthesizerJson.Write(Path.Combine(directory, ModelFile), document);
        SynthesizerManifest.Write(directory, MethodName);
    }

    /// <summary>Loads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The files are missing or not a copula model.</exception>
    public static GaussianCopulaSynthesizer Load(string directory)
    {
        var document = SynthesizerJson.Read<CopulaModelDocument>(Path.Combine(directory, ModelFile));
        if (document.Format != CopulaModelDocument.CurrentFormat)
        {
            throw new InvalidDataException(
                $"'{Path.Combine(directory, ModelFile)}' has format '{document.Format}'; expected '{CopulaModelDocument.CurrentFormat}'.");
        }

        int d = document.Columns.Count;
        var synthesizer = new GaussianCopulaSynthesizer
        {
            _columns = document.Columns.Select(ColumnModel.FromDocument).ToArray(),
            _correlation = new double[d, d],
            _trainingRows = document.TrainingRows,
        };
        for (int i = 0; i < d; i++)
        {
            for (int j = 0; j < d; j++)
            {
                synthesizer._correlation[i, j] = document.Correlation[i][j];
            }
        }

        synthesizer._sampler = LatentSampler.Unconditional(synthesizer._correlation);
        return synthesizer;
    }

    private List<(int Column, double Low, double High)> ResolveConditions(IReadOnlyList<ColumnCondition> conditions)
    {
        var result = new List<(int Column, double Low, double High)>();
        foreach (var condition in conditions)
        {
            int j = Array.FindIndex(_columns, c => c.Name == condition.Column);
            if (j < 0)
            {
                throw new ArgumentException(
                    $"Condition names unknown column '{condition.Column}'. The model has: {string.Join(", ", _columns.Select(c => c.Name))}.",
                    nameof(conditions));
            }

            if (result.Any(r => r.Column == j))
            {
                throw new ArgumentException($"Column '{condition.Column}' is conditioned more than once.", nameof(conditions));
            }

            if (condition.Value is null)
            {
                throw new ArgumentException($"Condition on column '{condition.Column}' has no value.", nameof(conditions));
            }

            var (low, high) = _columns[j].LatentInterval(condition.Value);
            result.Add((j, low, high));
        }

        return result;
    }

    private static string Describe(IReadOnlyList<ColumnCondition> conditions) =>
        "{" + string.Join(", ", conditions.Select(c => $"{c.Column}: {Convert.ToString(c.Value, CultureInfo.InvariantCulture)}")) + "}";

    private static double[,] CorrelationOf(double[][] scores)
    {
        int d = scores.Length;
        int n = scores[0].Length;
        var mean = new double[d];
        var sd = new double[d];
        for (int j = 0; j < d; j++)
        {
            double m = 0;
            foreach (double v in scores[j])
            {
                m += v;
            }

            m /= n;
            double s = 0;
            foreach (double v in scores[j])
            {
                s += (v - m) * (v - m);
            }

            mean[j] = m;
            sd[j] = Math.Sqrt(s / n);
        }

        var r = new double[d, d];
        Parallel.For(0, d, i =>
        {
            r[i, i] = 1.0;
            for (int j = 0; j < i; j++)
            {
                double c = 0;
                if (sd[i] > 1e-12 && sd[j] > 1e-12)
                {
                    var a = scores[i];
                    var b = scores[j];
                    double s = 0;
                    for (int k = 0; k < n; k++)
                    {
                        s += (a[k] - mean[i]) * (b[k] - mean[j]);
                    }

                    c = Math.Clamp(s / (n * sd[i] * sd[j]), -1.0, 1.0);
                }

                r[i, j] = c;
            }
        });
        for (int i = 0; i < d; i++)
        {
            for (int j = i + 1; j < d; j++)
            {
                r[i, j] = r[j, i];
            }
        }

        return r;
    }
}
