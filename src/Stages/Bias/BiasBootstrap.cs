using Pipelines.Stages.Dedup;

namespace Pipelines.Stages.Bias;

/// <summary>
/// Percentile bootstrap intervals of every group figure. Each resample draws the subset's rows with replacement (not
/// stratified, as Fairlearn's MetricFrame does), so group sizes vary too; one draw serves every attribute. Resample
/// <c>b</c> of subset <c>s</c> uses SplitMix64 seeded with <c>seed + s·B + b</c> and writes only its own slot, so the
/// intervals are bit-identical whatever the thread count.
/// </summary>
internal static class BiasBootstrap
{
    public static (double Low, double High)?[][]? Intervals(
        BiasSettings settings, int subsetIndex, int[] rows, CategoricalCodes[] attributes, CategoricalCodes labels, int[]? predictions, int positive,
        GroupFigures[] figures, List<(string Group, string Metric, double Value)>[] points)
    {
        int b = settings.Bootstrap;
        if (b <= 0 || rows.Length == 0)
        {
            return null;
        }

        var index = new Dictionary<(string, string), int>[attributes.Length];
        var samples = new double[attributes.Length][][];
        for (int a = 0; a < attributes.Length; a++)
        {
            index[a] = [];
            samples[a] = new double[points[a].Count][];
            for (int f = 0; f < points[a].Count; f++)
            {
                index[a][(points[a][f].Group, points[a][f].Metric)] = f;
                samples[a][f] = new double[b];
                Array.Fill(samples[a][f], double.NaN);
            }
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = settings.MaxDegreeOfParallelism };
        Parallel.For(0, b, options,
            () => attributes.Select(c => new GroupCounts(c.Codes, c.Names.Length, labels.Codes, labels.Names.Length, predictions, positive)).ToArray(),
            (r, loop, counts) =>
            {
                foreach (var c in counts)
                {
                    c.Clear();
                }

                var random = new SplitMix64(unchecked((ulong)settings.Seed + (ulong)(((long)subsetIndex * b) + r)));
                ulong m = (ulong)rows.Length;
                for (int j = 0; j < rows.Length; j++)
                {
                    // Lemire's multiply-shift maps 64 random bits onto [0, m) without a division.
                    int row = rows[(int)Math.BigMul(random.Next(), m, out _)];
                    foreach (var c in counts)
                    {
                        c.Add(row);
                    }
                }

                for (int a = 0; a < counts.Length; a++)
                {
                    var slots = samples[a];
                    var lookup = index[a];
                    figures[a].Compute(counts[a], point: false, (group, metric, value) =>
                    {
                        if (lookup.TryGetValue((group, metric), out int f))
                        {
                            slots[f][r] = value;
                        }
                    });
                }

                return counts;
            },
            _ => { });

        double q = (1 - settings.Confidence) / 2;
        var result = new (double, double)?[attributes.Length][];
        for (int a = 0; a < attributes.Length; a++)
        {
            result[a] = new (double, double)?[points[a].Count];
            for (int f = 0; f < points[a].Count; f++)
            {
                var defined = samples[a][f].Where(double.IsFinite).ToArray();
                if (defined.Length > 0)
                {
                    Array.Sort(defined);
                    result[a][f] = (Quantile(defined, q), Quantile(defined, 1 - q));
                }
            }
        }

        return result;
    }

    // Linear interpolation between closest ranks (numpy's default percentile).
    private static double Quantile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
