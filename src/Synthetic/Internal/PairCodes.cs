namespace Pipelines.Synthetic;

/// <summary>
/// Integer codes for one column in a real and a synthetic table, on the real table's scale:
/// categories of the real data (sorted ordinal), then "other" (unseen) and "null"; numbers in
/// equal-width bins over the real [min, max], then "null". Used for TV and contingency scores.
/// </summary>
internal sealed class PairCodes
{
    public const int NumericBins = 10;

    private PairCodes(int[] real, int[] synthetic, int count, string[] labels)
    {
        Real = real;
        Synthetic = synthetic;
        Count = count;
        Labels = labels;
    }

    public int[] Real { get; }

    public int[] Synthetic { get; }

    /// <summary>Number of distinct codes.</summary>
    public int Count { get; }

    /// <summary>Display label of each code.</summary>
    public string[] Labels { get; }

    public static PairCodes Build(TableColumn real, TableColumn synthetic)
    {
        if (ColumnValues.IsNumeric(real))
        {
            var r = ColumnValues.ToDoubles(real);
            var s = ColumnValues.ToDoubles(synthetic);
            double min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (double v in r)
            {
                if (!double.IsNaN(v))
                {
                    min = Math.Min(min, v);
                    max = Math.Max(max, v);
                }
            }

            double width = max > min ? (max - min) / NumericBins : 1.0;
            int Bin(double v) => double.IsNaN(v) ? NumericBins : Math.Clamp((int)((v - min) / width), 0, NumericBins - 1);
            var labels = Enumerable.Range(0, NumericBins)
                .Select(b => (min + b * width).ToString("G4", System.Globalization.CultureInfo.InvariantCulture))
                .Append("null").ToArray();
            return new PairCodes(r.Select(Bin).ToArray(), s.Select(Bin).ToArray(), NumericBins + 1, labels);
        }

        var realLabels = ColumnValues.ToLabels(real);
        var syntheticLabels = ColumnValues.ToLabels(synthetic);
        var categories = realLabels.Where(l => l is not null).Select(l => l!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < categories.Length; k++)
        {
            index[categories[k]] = k;
        }

        int other = categories.Length;
        int nullCode = categories.Length + 1;
        int Code(string? l) => l is null ? nullCode : index.TryGetValue(l, out int k) ? k : other;
        return new PairCodes(realLabels.Select(Code).ToArray(), syntheticLabels.Select(Code).ToArray(), categories.Length + 2,
            [.. categories, "(other)", "null"]);
    }

    /// <summary>Share of rows per code.</summary>
    public static double[] Frequencies(int[] codes, int count)
    {
        var f = new double[count];
        foreach (int c in codes)
        {
            f[c]++;
        }

        for (int k = 0; k < count; k++)
        {
            f[k] /= Math.Max(1, codes.Length);
        }

        return f;
    }
}
