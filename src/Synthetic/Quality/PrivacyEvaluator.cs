using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>Computes a <see cref="PrivacyReport"/> by brute-force nearest-neighbour search (with early exit).</summary>
public static class PrivacyEvaluator
{
    /// <summary>Default number of synthetic (and holdout) rows whose DCR is measured.</summary>
    public const int DefaultRowsChecked = 1000;

    /// <summary>Default cap on training rows searched.</summary>
    public const int DefaultReferenceRows = 50_000;

    /// <summary>Measures DCRs; rows are chosen by a seeded sample when the tables are larger than the caps.</summary>
    /// <exception cref="ArgumentException">A training column is missing from another table, or a table is empty.</exception>
    public static PrivacyReport Evaluate(ColumnTable training, ColumnTable synthetic, ColumnTable? holdout, long seed,
        int rowsChecked = DefaultRowsChecked, int referenceRows = DefaultReferenceRows)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(synthetic);
        if (training.RowCount == 0 || synthetic.RowCount == 0 || holdout is { RowCount: 0 })
        {
            throw new ArgumentException("Privacy needs rows in the training, synthetic and (when given) holdout tables.");
        }

        var encoder = new DistanceEncoder(training);
        var reference = encoder.Encode(training, Pick(training.RowCount, referenceRows, SeededRandom.Derive(seed, 1)), "training");
        var (synMean, synMedian, synExact, synCount) = Measure(encoder.Encode(synthetic, Pick(synthetic.RowCount, rowsChecked, SeededRandom.Derive(seed, 2)), "synthetic"), reference, encoder.Width);
        if (holdout is null)
        {
            return new PrivacyReport(reference.Length / encoder.Width, synCount, synMean, synMedian, synExact, 0, null, null, null, null, null);
        }

        var (hoMean, hoMedian, hoExact, hoCount) = Measure(encoder.Encode(holdout, Pick(holdout.RowCount, rowsChecked, SeededRandom.Derive(seed, 3)), "holdout"), reference, encoder.Width);
        double? ratio = hoMean > 0 ? synMean / hoMean : null;
        string? warning = null;
        if (synMean < hoMean || synExact > hoExact + 0.01)
        {
            warning = string.Create(CultureInfo.InvariantCulture,
                $"Synthetic rows are closer to the training rows than real holdout rows are (mean DCR {synMean:0.0000} vs {hoMean:0.0000}; " +
                $"exact copies {synExact:P1} vs {hoExact:P1} in the holdout): the model may be copying training records.");
        }

        return new PrivacyReport(reference.Length / encoder.Width, synCount, synMean, synMedian, synExact, hoCount, hoMean, hoMedian, hoExact, ratio, warning);
    }

    private static int[] Pick(int rows, int max, long seed)
    {
        var index = Enumerable.Range(0, rows).ToArray();
        if (rows <= max)
        {
            return index;
        }

        // Partial Fisher–Yates with our seeded generator, then sorted for locality.
        var random = new SeededRandom(seed);
        for (int i = 0; i < max; i++)
        {
            int j = i + random.NextInt(rows - i);
            (index[i], index[j]) = (index[j], index[i]);
        }

        var picked = index[..max];
        Array.Sort(picked);
        return picked;
    }

    private static (double Mean, double Median, double Exact, int Count) Measure(double[] queries, double[] reference, int width)
    {
        int q = queries.Length / width;
        var dcr = new double[q];
        Parallel.For(0, q, i => dcr[i] = Closest(queries.AsSpan(i * width, width), reference, width));
        var sorted = (double[])dcr.Clone();
        Array.Sort(sorted);
        double median = q % 2 == 1 ? sorted[q / 2] : 0.5 * (sorted[q / 2 - 1] + sorted[q / 2]);
        return (dcr.Average(), median, dcr.Count(v => v == 0) / (double)q, q);
    }

    private static double Closest(ReadOnlySpan<double> row, double[] reference, int width)
    {
        double best = double.PositiveInfinity;
        int n = reference.Length / width;
        for (int r = 0; r < n && best > 0; r++)
        {
            var other = reference.AsSpan(r * width, width);
            double sum = 0;
            for (int c = 0; c < width && sum < best; c++)
            {
                sum += DistanceEncoder.CellDistance(row[c], other[c]);
            }

            if (sum < best)
            {
                best = sum;
            }
        }

        return best / width;
    }
}
