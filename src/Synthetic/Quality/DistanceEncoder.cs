namespace Pipelines.Synthetic;

/// <summary>
/// Encodes rows for Gower-style distances on the training table's scale. Numbers become
/// value / range (so |a − b| is the range-normalised gap), categories become codes offset by a
/// large constant so that any two different codes are at distance ≥ 1; null is NaN.
/// </summary>
internal sealed class DistanceEncoder
{
    private const double CategoryOffset = 1e6;

    private readonly string[] _names;
    private readonly bool[] _numeric;
    private readonly double[] _min;
    private readonly double[] _range;
    private readonly Dictionary<string, int>[] _codes;

    public DistanceEncoder(ColumnTable training)
    {
        int d = training.Columns.Count;
        _names = training.Columns.Select(c => c.Name).ToArray();
        _numeric = training.Columns.Select(ColumnValues.IsNumeric).ToArray();
        _min = new double[d];
        _range = new double[d];
        _codes = new Dictionary<string, int>[d];
        for (int j = 0; j < d; j++)
        {
            if (_numeric[j])
            {
                var v = ColumnValues.ToDoubles(training.Columns[j]).Where(x => !double.IsNaN(x)).ToArray();
                _min[j] = v.Length == 0 ? 0 : v.Min();
                double range = v.Length == 0 ? 0 : v.Max() - _min[j];
                _range[j] = range > 0 ? range : 1.0;
            }
            else
            {
                var labels = ColumnValues.ToLabels(training.Columns[j]).Where(l => l is not null).Select(l => l!)
                    .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
                _codes[j] = labels.Select((l, k) => (l, k)).ToDictionary(p => p.l, p => p.k, StringComparer.Ordinal);
            }
        }
    }

    public int Width => _names.Length;

    /// <summary>Row-major encoding of the chosen rows.</summary>
    public double[] Encode(ColumnTable table, int[] rows, string role)
    {
        int d = _names.Length;
        var result = new double[rows.Length * d];
        for (int j = 0; j < d; j++)
        {
            if (table.IndexOf(_names[j]) < 0)
            {
                throw new ArgumentException($"The {role} table lacks column '{_names[j]}' of the training table.");
            }

            var column = table[_names[j]];
            if (_numeric[j])
            {
                var v = ColumnValues.ToDoubles(column);
                for (int i = 0; i < rows.Length; i++)
                {
                    result[i * d + j] = (v[rows[i]] - _min[j]) / _range[j];
                }
            }
            else
            {
                var labels = ColumnValues.ToLabels(column);
                int unseen = _codes[j].Count;
                for (int i = 0; i < rows.Length; i++)
                {
                    string? l = labels[rows[i]];
                    result[i * d + j] = l is null ? double.NaN : CategoryOffset * (1 + (_codes[j].TryGetValue(l, out int k) ? k : unseen));
                }
            }
        }

        return result;
    }

    /// <summary>Distance of two encoded cells in [0, 1].</summary>
    public static double CellDistance(double a, double b)
    {
        bool na = double.IsNaN(a), nb = double.IsNaN(b);
        if (na || nb)
        {
            return na && nb ? 0.0 : 1.0;
        }

        return Math.Min(1.0, Math.Abs(a - b));
    }
}
