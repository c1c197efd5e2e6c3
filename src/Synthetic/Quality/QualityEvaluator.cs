namespace Pipelines.Synthetic;

/// <summary>Computes a <see cref="QualityReport"/> (column shapes, pair trends, overall score).</summary>
public static class QualityEvaluator
{
    private const int MaxHistogramCategories = 30;

    /// <summary>Scores <paramref name="synthetic"/> against <paramref name="real"/> on the real table's columns.</summary>
    /// <exception cref="ArgumentException">A real column is missing from the synthetic table, or a table is empty.</exception>
    public static QualityReport Evaluate(ColumnTable real, ColumnTable synthetic)
    {
        ArgumentNullException.ThrowIfNull(real);
        ArgumentNullException.ThrowIfNull(synthetic);
        if (real.RowCount == 0 || synthetic.RowCount == 0)
        {
            throw new ArgumentException("Quality needs rows in both the real and the synthetic table.");
        }

        var columns = real.Columns;
        foreach (var c in columns)
        {
            if (synthetic.IndexOf(c.Name) < 0)
            {
                throw new ArgumentException($"The synthetic table lacks column '{c.Name}' of the real table.", nameof(synthetic));
            }
        }

        int d = columns.Count;
        var codes = new PairCodes[d];
        var realNumbers = new double[d][];
        var syntheticNumbers = new double[d][];
        var shapes = new ColumnShapeScore[d];
        Parallel.For(0, d, j =>
        {
            var r = columns[j];
            var s = synthetic[r.Name];
            codes[j] = PairCodes.Build(r, s);
            if (ColumnValues.IsNumeric(r))
            {
                realNumbers[j] = ColumnValues.ToDoubles(r);
                syntheticNumbers[j] = ColumnValues.ToDoubles(s);
                shapes[j] = new ColumnShapeScore(r.Name, "ks_complement", 1 - KsStatistic(realNumbers[j], syntheticNumbers[j]));
            }
            else
            {
                var fr = PairCodes.Frequencies(codes[j].Real, codes[j].Count);
                var fs = PairCodes.Frequencies(codes[j].Synthetic, codes[j].Count);
                shapes[j] = new ColumnShapeScore(r.Name, "tv_complement", 1 - TotalVariation(fr, fs));
            }
        });

        var pairIndex = new List<(int A, int B)>();
        for (int a = 0; a < d; a++)
        {
            for (int b = a + 1; b < d; b++)
            {
                pairIndex.Add((a, b));
            }
        }

        var pairs = new ColumnPairScore[pairIndex.Count];
        Parallel.For(0, pairIndex.Count, p =>
        {
            var (a, b) = pairIndex[p];
            if (realNumbers[a] is not null && realNumbers[b] is not null)
            {
                double rr = Pearson(realNumbers[a], realNumbers[b]);
                double rs = Pearson(syntheticNumbers[a], syntheticNumbers[b]);
                double score = double.IsNaN(rr) || double.IsNaN(rs) ? (double.IsNaN(rr) == double.IsNaN(rs) ? 1.0 : 0.5) : 1 - Math.Abs(rr - rs) / 2;
                pairs[p] = new ColumnPairScore(columns[a].Name, columns[b].Name, "correlation_similarity", score,
                    double.IsNaN(rr) ? null : rr, double.IsNaN(rs) ? null : rs, double.IsNaN(rr) ? 0 : Math.Abs(rr));
            }
            else
            {
                var realJoint = Joint(codes[a].Real, codes[b].Real, codes[a].Count, codes[b].Count);
                pairs[p] = new ColumnPairScore(columns[a].Name, columns[b].Name, "contingency_similarity",
                    1 - TotalVariation(realJoint, Joint(codes[a].Synthetic, codes[b].Synthetic, codes[a].Count, codes[b].Count)),
                    RealAssociation: CramersV(realJoint, codes[a].Count, codes[b].Count));
            }
        });

        double shapeScore = shapes.Average(s => s.Score);
        double pairScore = pairs.Length == 0 ? shapeScore : pairs.Average(p => p.Score);
        return new QualityReport(
            (shapeScore + pairScore) / 2, shapeScore, pairScore, shapes, pairs,
            Enumerable.Range(0, d).Select(j => Histogram(columns[j].Name, codes[j])).ToArray(),
            Correlations(columns, realNumbers, syntheticNumbers));
    }

    /// <summary>The real rows with every column shuffled on its own (seeded Fisher–Yates): the marginals without any joint structure.</summary>
    public static ColumnTable IndependentColumns(ColumnTable real, long seed) =>
        new(real.Columns.Select((c, j) =>
        {
            var random = new SeededRandom(SeededRandom.Derive(seed, j));
            var order = Enumerable.Range(0, real.RowCount).ToArray();
            for (int i = order.Length - 1; i > 0; i--)
            {
                int k = random.NextInt(i + 1);
                (order[i], order[k]) = (order[k], order[i]);
            }

            return new ColumnTable([c]).Take(order).Columns[0];
        }));

    /// <summary>Two-sample KS statistic over non-NaN values (0 when both are empty, 1 when one is).</summary>
    internal static double KsStatistic(double[] a, double[] b)
    {
        var x = a.Where(v => !double.IsNaN(v)).ToArray();
        var y = b.Where(v => !double.IsNaN(v)).ToArray();
        if (x.Length == 0 || y.Length == 0)
        {
            return x.Length == y.Length ? 0.0 : 1.0;
        }

        Array.Sort(x);
        Array.Sort(y);
        int i = 0, j = 0;
        double d = 0;
        while (i < x.Length && j < y.Length)
        {
            double v = Math.Min(x[i], y[j]);
            while (i < x.Length && x[i] == v)
            {
                i++;
            }

            while (j < y.Length && y[j] == v)
            {
                j++;
            }

            d = Math.Max(d, Math.Abs((double)i / x.Length - (double)j / y.Length));
        }

        return d;
    }

    internal static double TotalVariation(double[] p, double[] q)
    {
        double s = 0;
        for (int k = 0; k < p.Length; k++)
        {
            s += Math.Abs(p[k] - q[k]);
        }

        return Math.Min(1.0, s / 2);
    }

    /// <summary>Pearson correlation over rows where both are non-NaN; NaN when undefined.</summary>
    internal static double Pearson(double[] a, double[] b)
    {
        double n = 0, ma = 0, mb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!double.IsNaN(a[i]) && !double.IsNaN(b[i]))
            {
                n++;
                ma += a[i];
                mb += b[i];
            }
        }

        if (n < 2)
        {
            return double.NaN;
        }

        ma /= n;
        mb /= n;
        double sab = 0, saa = 0, sbb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!double.IsNaN(a[i]) && !double.IsNaN(b[i]))
            {
                double da = a[i] - ma, db = b[i] - mb;
                sab += da * db;
                saa += da * da;
                sbb += db * db;
            }
        }

        return saa > 0 && sbb > 0 ? Math.Clamp(sab / Math.Sqrt(saa * sbb), -1, 1) : double.NaN;
    }

    /// <summary>Cramér's V of a joint frequency table (rows ka, columns kb): √(χ²/n / (min(r, c) − 1)) over the categories that occur.</summary>
    internal static double CramersV(double[] joint, int ka, int kb)
    {
        var rows = new double[ka];
        var cols = new double[kb];
        for (int i = 0; i < ka; i++)
        {
            for (int j = 0; j < kb; j++)
            {
                rows[i] += joint[i * kb + j];
                cols[j] += joint[i * kb + j];
            }
        }

        double phi2 = 0;
        for (int i = 0; i < ka; i++)
        {
            for (int j = 0; j < kb; j++)
            {
                double expected = rows[i] * cols[j];
                if (expected > 0)
                {
                    double d = joint[i * kb + j] - expected;
                    phi2 += d * d / expected;
                }
            }
        }

        int k = Math.Min(rows.Count(v => v > 0), cols.Count(v => v > 0));
        return k < 2 ? 0 : Math.Sqrt(Math.Min(1, phi2 / (k - 1)));
    }

    private static double[] Joint(int[] a, int[] b, int ka, int kb)
    {
        var f = new double[ka * kb];
        for (int i = 0; i < a.Length; i++)
        {
            f[a[i] * kb + b[i]]++;
        }

        for (int k = 0; k < f.Length; k++)
        {
            f[k] /= a.Length;
        }

        return f;
    }

    private static ColumnHistogram Histogram(string name, PairCodes codes)
    {
        var fr = PairCodes.Frequencies(codes.Real, codes.Count);
        var fs = PairCodes.Frequencies(codes.Synthetic, codes.Count);
        var keep = Enumerable.Range(0, codes.Count).Where(k => fr[k] > 0 || fs[k] > 0).ToList();
        if (keep.Count > MaxHistogramCategories)
        {
            keep = keep.OrderByDescending(k => fr[k]).ThenBy(k => k).Take(MaxHistogramCategories).Order().ToList();
        }

        return new ColumnHistogram(name, keep.Select(k => codes.Labels[k]).ToArray(), keep.Select(k => fr[k]).ToArray(), keep.Select(k => fs[k]).ToArray());
    }

    private static CorrelationMatrices Correlations(IReadOnlyList<TableColumn> columns, double[][] real, double[][] synthetic)
    {
        var numeric = Enumerable.Range(0, columns.Count).Where(j => real[j] is not null).ToArray();
        double[][] Matrix(double[][] x) => numeric.Select(a => numeric.Select(b =>
        {
            double r = a == b ? 1.0 : Pearson(x[a], x[b]);
            return double.IsNaN(r) ? 0.0 : r;
        }).ToArray()).ToArray();
        return new CorrelationMatrices(numeric.Select(j => columns[j].Name).ToArray(), Matrix(real), Matrix(synthetic));
    }
}
