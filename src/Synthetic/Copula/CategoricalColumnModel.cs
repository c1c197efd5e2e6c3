using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>
/// A categorical or boolean column: categories (null included) ordered by decreasing frequency
/// own consecutive intervals of [0, 1] as wide as their frequency; a latent value z picks the
/// category whose interval holds Φ(z). The interval ends are kept as latent thresholds.
/// </summary>
internal sealed class CategoricalColumnModel : ColumnModel
{
    private readonly CopulaColumnDocument _document;
    private readonly string?[] _categories;
    private readonly double[] _cumulative;
    private readonly double[] _thresholds;
    private readonly bool?[] _booleans;
    private readonly Dictionary<string, int> _indexByLabel;
    private readonly int _nullIndex;
    private readonly double[] _scores;
    private readonly int[] _cellStart;

    public CategoricalColumnModel(CopulaColumnDocument document)
        : base(document.Name, document.Storage)
    {
        _document = document;
        _categories = document.Categories!;
        var frequencies = document.Frequencies!;
        _cumulative = new double[_categories.Length + 1];
        for (int k = 0; k < _categories.Length; k++)
        {
            _cumulative[k + 1] = _cumulative[k] + frequencies[k];
        }

        _cumulative[^1] = 1.0;
        _thresholds = new double[_categories.Length - 1];
        for (int k = 0; k < _thresholds.Length; k++)
        {
            _thresholds[k] = StandardNormal.InverseCdf(_cumulative[k + 1]);
        }

        // Category at the left edge of each latent cell; decoding scans on from there only in cells a threshold crosses.
        _cellStart = new int[Cells];
        for (int c = 0; c < Cells; c++)
        {
            _cellStart[c] = SearchIndex(-LatentLimit + c / CellScale);
        }

        _scores = new double[_categories.Length];
        for (int k = 0; k < _categories.Length; k++)
        {
            _scores[k] = StandardNormal.IntervalMean(_cumulative[k], _cumulative[k + 1]);
        }

        _booleans = _categories.Select(c => c is null ? (bool?)null : c == "true").ToArray();
        _indexByLabel = new Dictionary<string, int>(StringComparer.Ordinal);
        _nullIndex = -1;
        for (int k = 0; k < _categories.Length; k++)
        {
            if (_categories[k] is { } label)
            {
                _indexByLabel[label] = k;
            }
            else
            {
                _nullIndex = k;
            }
        }
    }

    /// <summary>Labels by decreasing frequency (null is a label).</summary>
    public IReadOnlyList<string?> Categories => _categories;

    public static CategoricalColumnModel Fit(TableColumn column)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        int nulls = 0;
        for (int i = 0; i < column.Length; i++)
        {
            string? label = Label(column, i);
            if (label is null)
            {
                nulls++;
            }
            else
            {
                counts[label] = counts.GetValueOrDefault(label) + 1;
            }
        }

        // Sort by count, then by ordinal label: never depend on dictionary order.
        var ordered = counts.Select(kv => (Label: (string?)kv.Key, Count: kv.Value)).ToList();
        if (nulls > 0)
        {
            ordered.Add((null, nulls));
        }

        ordered.Sort((a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Label, b.Label));
        var document = new CopulaColumnDocument
        {
            Name = column.Name,
            Storage = column.Storage,
            NullRate = (double)nulls / column.Length,
            Family = MarginalFamily.Empirical,
            Categories = ordered.Select(o => o.Label).ToArray(),
            Frequencies = ordered.Select(o => (double)o.Count / column.Length).ToArray(),
        };
        return new CategoricalColumnModel(document);
    }

    /// <summary>Index of the category of a training row.</summary>
    internal int CategoryIndex(TableColumn column, int row)
    {
        string? label = Label(column, row);
        return label is null ? _nullIndex : _indexByLabel[label];
    }

    /// <summary>Writes categories given by index into <paramref name="target"/> from <paramref name="offset"/>.</summary>
    internal void WriteCategories(ReadOnlySpan<int> indices, Array target, int offset)
    {
        if (target is string?[] strings)
        {
            for (int r = 0; r < indices.Length; r++)
            {
                strings[offset + r] = _categories[indices[r]];
            }
        }
        else if (target is bool?[] booleans)
        {
            for (int r = 0; r < indices.Length; r++)
            {
                booleans[offset + r] = _booleans[indices[r]];
            }
        }
    }

    /// <summary>Index of the category a condition value names.</summary>
    internal int ConditionIndex(object value)
    {
        string label = value switch
        {
            bool b => b ? "true" : "false",
            string s when Storage == ColumnStorage.Boolean => s.Trim().ToLowerInvariant(),
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
        if (!_indexByLabel.TryGetValue(label, out int k))
        {
            var known = _categories.Where(c => c is not null).Take(20).Select(c => $"'{c}'");
            throw new ArgumentException(
                $"Condition on column '{Name}': the value '{label}' never occurs in the training data. Known values: {string.Join(", ", known)}" +
                (_indexByLabel.Count > 20 ? ", ..." : "") + ".");
        }

        return k;
    }

    public override double Score(TableColumn column, int row)
    {
        string? label = Label(column, row);
        int k = label is null ? _nullIndex : _indexByLabel[label];
        return _scores[k];
    }

    public override void Decode(ReadOnlySpan<double> latent, Array target, int offset, ref SeededRandom random, bool allowNull)
    {
        if (target is string?[] strings)
        {
            for (int r = 0; r < latent.Length; r++)
            {
                strings[offset + r] = _categories[Index(latent[r])];
            }
        }
        else if (target is bool?[] booleans)
        {
            for (int r = 0; r < latent.Length; r++)
            {
                booleans[offset + r] = _booleans[Index(latent[r])];
            }
        }
    }

    public override (double Low, double High) LatentInterval(object value)
    {
        int k = ConditionIndex(value);
        double low = k == 0 ? -LatentLimit : _thresholds[k - 1];
        double high = k == _thresholds.Length ? LatentLimit : _thresholds[k];
        return (low, high);
    }

    public override CopulaColumnDocument ToDocument() => _document;

    private const int Cells = 4096;
    private const double CellScale = Cells / (2 * LatentLimit);

    private int Index(double z)
    {
        double t = (z + LatentLimit) * CellScale;
        if (!(t >= 0 && t < Cells))
        {
            return SearchIndex(z);
        }

        int k = _cellStart[(int)t];
        var thresholds = _thresholds;
        while (k < thresholds.Length && thresholds[k] <= z)
        {
            k++;
        }

        return k;
    }

    private int SearchIndex(double z)
    {
        // Number of thresholds at or below z (thresholds are sorted).
        int lo = 0, hi = _thresholds.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_thresholds[mid] <= z)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private static string? Label(TableColumn column, int row) => column.Values switch
    {
        string?[] s => s[row],
        bool?[] b => b[row] is { } v ? (v ? "true" : "false") : null,
        _ => throw new ArgumentException($"Column '{column.Name}' is not categorical."),
    };
}
