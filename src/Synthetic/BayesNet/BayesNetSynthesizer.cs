namespace Pipelines.Synthetic;

/// <summary>
/// A Bayesian-network synthesizer (PrivBayes' model, without its privacy noise): every column is drawn conditional on
/// up to <see cref="BayesNetOptions.Degree"/> parent columns from the real rows' conditional frequencies, in an order
/// learnt from mutual information; numbers go through quantile bins and come back as real values of their bin. It
/// keeps the strong pairwise relations a copula's single correlation matrix cannot (marital status with relationship,
/// relationship with sex) at the cost of weaker long-range structure. Sampling is sequential over rows from one seeded
/// stream per column, so the same seed gives the same rows on any machine.
/// </summary>
public sealed class BayesNetSynthesizer : ISynthesizer
{
    /// <summary>Method name used in pipelines.</summary>
    public const string MethodName = "bayesnet";

    internal const string ModelFile = "bayesnet.json";

    private readonly BayesNetOptions _options;
    private ColumnCoder[] _coders = [];
    private int[] _order = [];
    private int[][] _parents = [];
    private ConditionalTable[][] _tables = []; // per column: the full table, then back-offs with fewer parents
    private int _trainingRows;

    /// <summary>Creates an unfitted synthesizer.</summary>
    public BayesNetSynthesizer(BayesNetOptions? options = null)
    {
        options ??= new BayesNetOptions();
        var result = new BayesNetOptionsValidator().Validate(options);
        if (!result.IsValid)
        {
            throw new ArgumentException(string.Join(" ", result.Errors.Select(e => e.ErrorMessage)), nameof(options));
        }

        _options = new BayesNetOptions { Degree = options.Degree, MaxBins = options.MaxBins, ConditionBudget = options.ConditionBudget };
    }

    /// <inheritdoc />
    public string Method => MethodName;

    /// <inheritdoc />
    public bool IsFitted => _order.Length > 0;

    /// <summary>Each column's parents, by name, in sampling order.</summary>
    public IReadOnlyList<(string Column, IReadOnlyList<string> Parents)> Structure =>
        _order.Select(j => (_coders[j].Name, (IReadOnlyList<string>)_parents[j].Select(p => _coders[p].Name).ToArray())).ToArray();

    /// <inheritdoc />
    /// <remarks>The fit is deterministic; <paramref name="seed"/> is accepted for the common contract.</remarks>
    public void Fit(ColumnTable table, long seed)
    {
        TableChecks.CheckTrainable(table);
        int d = table.Columns.Count;
        var coders = new ColumnCoder[d];
        var codes = new int[d][];
        Parallel.For(0, d, j => (coders[j], codes[j]) = ColumnCoder.Fit(table.Columns[j], _options.MaxBins));
        var cardinalities = coders.Select(c => c.Count).ToArray();
        var (order, parents) = NetworkLearner.Learn(codes, cardinalities, _options.Degree);
        var tables = new ConditionalTable[d][];
        for (int j = 0; j < d; j++)
        {
            tables[j] = Enumerable.Range(0, parents[j].Length + 1).Reverse()
                .Select(k => ConditionalTable.Count(codes, cardinalities, j, parents[j][..k])).ToArray();
        }

        (_coders, _order, _parents, _tables, _trainingRows) = (coders, order, parents, tables, table.RowCount);
    }

    /// <inheritdoc />
    public ColumnTable Sample(int rows, long seed)
    {
        TableChecks.CheckFitted(IsFitted, MethodName);
        TableChecks.CheckRows(rows);
        int d = _coders.Length;
        var codes = new int[d][];
        foreach (int j in _order)
        {
            var random = new SeededRandom(SeededRandom.Derive(seed, j));
            var column = codes[j] = new int[rows];
            var parentCodes = _parents[j].Select(p => codes[p]).ToArray();
            var cardinalities = _parents[j].Select(p => _coders[p].Count).ToArray();
            for (int i = 0; i < rows; i++)
            {
                column[i] = Draw(_tables[j], parentCodes, cardinalities, i, ref random);
            }
        }

        return new ColumnTable(Enumerable.Range(0, d).Select(j => _coders[j].Decode(codes[j], new SeededRandom(SeededRandom.Derive(seed, d + j)))));
    }

    /// <inheritdoc />
    public ColumnTable Sample(int rows, long seed, IReadOnlyList<ColumnCondition> conditions)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        if (conditions.Count == 0)
        {
            return Sample(rows, seed);
        }

        TableChecks.CheckFitted(IsFitted, MethodName);
        foreach (var condition in conditions)
        {
            var coder = _coders.FirstOrDefault(c => c.Name == condition.Column)
                ?? throw new ArgumentException($"Condition on unknown column '{condition.Column}'. Columns: {string.Join(", ", _coders.Select(c => c.Name))}.");
            if (!coder.Pools.Any(p => p.Values.Any(v => Equals(v, condition.Value))))
            {
                throw new ArgumentException($"Condition {condition.Column} = {condition.Value}: the model never produces this value.");
            }
        }

        // Rejection: draw whole batches and keep the matching rows, within the budget.
        var parts = new List<ColumnTable>();
        int have = 0;
        long drawn = 0, budget = (long)rows * _options.ConditionBudget;
        for (int batch = 0; have < rows; batch++)
        {
            if (drawn >= budget)
            {
                throw new InvalidOperationException($"Only {have} of {rows} rows matched the conditions after {drawn} draws (condition_budget {_options.ConditionBudget}).");
            }

            int ask = (int)Math.Min(1_000_000, Math.Max(1024, (rows - have) * 4L));
            var table = Sample(ask, SeededRandom.Derive(seed, 1_000_000 + batch));
            drawn += ask;
            var matching = Enumerable.Range(0, ask).Where(i => conditions.All(c => Equals(table[c.Column].GetValue(i), c.Value))).Take(rows - have).ToArray();
            parts.Add(table.Take(matching));
            have += matching.Length;
        }

        return ColumnTable.Concat(parts);
    }

    /// <inheritdoc />
    public void Save(string directory)
    {
        TableChecks.CheckFitted(IsFitted, MethodName);
        Directory.CreateDirectory(directory);
        SynthesizerManifest.Write(directory, MethodName);
        SynthesizerJson.Write(Path.Combine(directory, ModelFile), new BayesNetModelDocument
        {
            Degree = _options.Degree,
            TrainingRows = _trainingRows,
            Columns = _coders.Select(c => c.ToDocument()).ToList(),
            Order = [.. _order],
            Parents = _parents.Select(p => p.ToList()).ToList(),
            Tables = _tables.Select(t => t.Select(c => c.ToDocument()).ToList()).ToList(),
        });
    }

    /// <summary>Loads a model saved by <see cref="Save"/>.</summary>
    /// <exception cref="InvalidDataException">The directory holds no Bayesian-network model.</exception>
    public static BayesNetSynthesizer Load(string directory)
    {
        var document = SynthesizerJson.Read<BayesNetModelDocument>(Path.Combine(directory, ModelFile));
        return new BayesNetSynthesizer(new BayesNetOptions { Degree = document.Degree })
        {
            _coders = document.Columns.Select(ColumnCoder.FromDocument).ToArray(),
            _order = [.. document.Order],
            _parents = document.Parents.Select(p => p.ToArray()).ToArray(),
            _tables = document.Tables.Select(t => t.Select(ConditionalTable.FromDocument).ToArray()).ToArray(),
            _trainingRows = document.TrainingRows,
        };
    }

    /// <summary>A code from the table with the most parents whose configuration the real rows showed.</summary>
    private static int Draw(ConditionalTable[] tables, int[][] parentCodes, int[] cardinalities, int row, ref SeededRandom random)
    {
        double u = random.NextDouble();
        foreach (var table in tables)
        {
            long configuration = 0;
            for (int p = 0; p < table.Parents; p++)
            {
                configuration = configuration * cardinalities[p] + parentCodes[p][row];
            }

            if (table.Cumulative.TryGetValue(configuration, out var cumulative))
            {
                return ValuePool.IndexOf(cumulative, (long)(u * cumulative[^1]));
            }
        }

        throw new InvalidOperationException("The marginal table is never empty."); // the last table has no parents
    }
}

/// <summary>Cumulative counts of a column's codes per configuration of its first <see cref="Parents"/> parents.</summary>
internal sealed record ConditionalTable(int Parents, Dictionary<long, long[]> Cumulative)
{
    public static ConditionalTable Count(int[][] codes, int[] cardinalities, int x, int[] parents)
    {
        int kx = cardinalities[x];
        var counts = new Dictionary<long, long[]>();
        for (int i = 0; i < codes[x].Length; i++)
        {
            long s = 0;
            foreach (int p in parents)
            {
                s = s * cardinalities[p] + codes[p][i];
            }

            if (!counts.TryGetValue(s, out var row))
            {
                counts[s] = row = new long[kx];
            }

            row[codes[x][i]]++;
        }

        foreach (var row in counts.Values)
        {
            for (int v = 1; v < row.Length; v++)
            {
                row[v] += row[v - 1];
            }
        }

        return new ConditionalTable(parents.Length, counts);
    }

    public static ConditionalTable FromDocument(BayesNetTableDocument document) =>
        new(document.Parents, document.Cumulative.ToDictionary(p => p.Key, p => p.Value.ToArray()));

    public BayesNetTableDocument ToDocument() => new()
    {
        Parents = Parents,
        Cumulative = Cumulative.OrderBy(p => p.Key).ToDictionary(p => p.Key, p => p.Value.ToList()),
    };
}
