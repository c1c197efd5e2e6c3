using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>
/// One column as small integer codes for the network: each category (and null) its own code; numbers and timestamps
/// their own code per value when they have few, else quantile bins. A code is turned back into a value by drawing
/// from the real values it covers (at most <see cref="PoolSize"/> of them: their frequencies, or evenly spaced order
/// statistics for a bin of many values), so every column keeps its real marginal and the model stays small.
/// </summary>
internal sealed class ColumnCoder
{
    /// <summary>Values kept per code.</summary>
    public const int PoolSize = 64;

    private ColumnCoder(string name, ColumnStorage storage, string?[] labels, double[] upperBounds, ValuePool[] pools)
    {
        Name = name;
        Storage = storage;
        Labels = labels;
        UpperBounds = upperBounds;
        Pools = pools;
    }

    public string Name { get; }

    public ColumnStorage Storage { get; }

    /// <summary>Categories by code (categorical and boolean columns; null for the null code).</summary>
    public string?[] Labels { get; }

    /// <summary>Numeric columns: the upper bound of each bin's values (the null code is last and has none).</summary>
    public double[] UpperBounds { get; }

    /// <summary>The real values each code covers, with their weights.</summary>
    public ValuePool[] Pools { get; }

    public int Count => Pools.Length;

    public static (ColumnCoder Coder, int[] Codes) Fit(TableColumn column, int maxBins)
    {
        int n = column.Length;
        var codes = new int[n];
        if (!ColumnValues.IsNumeric(column))
        {
            var keys = RuleKeys.Of(column);
            var labels = keys.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
            var pools = new ValuePool[labels.Length];
            for (int i = 0; i < n; i++)
            {
                codes[i] = index[keys[i]];
                pools[codes[i]] ??= new ValuePool([column.GetValue(i)], [1]); // a category's pool is its one value
            }

            return (new ColumnCoder(column.Name, column.Storage, labels.Select(l => l == RuleKeys.Null ? null : l).ToArray(), [], pools), codes);
        }

        var numbers = ColumnValues.ToDoubles(column);
        var present = numbers.Where(v => !double.IsNaN(v)).Order().ToArray();
        var distinct = present.Distinct().ToArray();
        double[] bounds;
        if (distinct.Length <= maxBins)
        {
            bounds = distinct;
        }
        else
        {
            // Quantile cut points, merged where a value spans several quantiles (a spike at 0 is one bin).
            bounds = Enumerable.Range(1, maxBins).Select(b => present[Math.Min(present.Length - 1, (int)Math.Ceiling(b * (double)present.Length / maxBins) - 1)]).Distinct().ToArray();
        }

        bool hasNull = present.Length < n;
        var valuePools = Enumerable.Range(0, bounds.Length + (hasNull ? 1 : 0)).Select(_ => new List<object?>()).ToArray();
        for (int i = 0; i < n; i++)
        {
            codes[i] = double.IsNaN(numbers[i]) ? bounds.Length : BinOf(bounds, numbers[i]);
            valuePools[codes[i]].Add(column.GetValue(i));
        }

        return (new ColumnCoder(column.Name, column.Storage, [], bounds, valuePools.Select(ValuePool.Of).ToArray()), codes);
    }

    public static ColumnCoder FromDocument(BayesNetColumnDocument document)
    {
        var storage = Enum.Parse<ColumnStorage>(document.Storage);
        object? Parse(string? text) => text is null ? null : storage switch
        {
            ColumnStorage.Boolean => bool.Parse(text),
            ColumnStorage.Int64 => long.Parse(text, CultureInfo.InvariantCulture),
            ColumnStorage.Double => double.Parse(text, CultureInfo.InvariantCulture),
            ColumnStorage.Timestamp => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            _ => text,
        };
        return new ColumnCoder(document.Name, storage, [.. document.Labels], [.. document.UpperBounds],
            document.Pools.Select(p => new ValuePool(p.Values.Select(Parse).ToArray(), [.. p.Cumulative])).ToArray());
    }

    public BayesNetColumnDocument ToDocument() => new()
    {
        Name = Name,
        Storage = Storage.ToString(),
        Labels = [.. Labels],
        UpperBounds = [.. UpperBounds],
        Pools = Pools.Select(p => new BayesNetPoolDocument { Values = p.Values.Select(Format).ToList(), Cumulative = [.. p.Cumulative] }).ToList(),
    };

    /// <summary>A column of values for the given codes; <paramref name="random"/> picks within a code's pool.</summary>
    public TableColumn Decode(int[] codes, SeededRandom random)
    {
        var values = Array.CreateInstance(Storage switch
        {
            ColumnStorage.Boolean => typeof(bool?),
            ColumnStorage.Int64 => typeof(long?),
            ColumnStorage.Double => typeof(double?),
            ColumnStorage.Timestamp => typeof(DateTime?),
            _ => typeof(string),
        }, codes.Length);
        for (int i = 0; i < codes.Length; i++)
        {
            values.SetValue(Pools[codes[i]].Draw(ref random), i);
        }

        return TableColumn.FromArray(Name, values);
    }

    private static int BinOf(double[] bounds, double value)
    {
        int index = Array.BinarySearch(bounds, value);
        return index >= 0 ? index : Math.Min(~index, bounds.Length - 1);
    }

    private static string? Format(object? value) => value switch
    {
        null => null,
        bool b => b ? "True" : "False",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

/// <summary>Values with cumulative weights; a draw picks one in proportion to its weight.</summary>
internal sealed record ValuePool(object?[] Values, long[] Cumulative)
{
    /// <summary>The distinct values with their counts, or <see cref="ColumnCoder.PoolSize"/> evenly spaced order statistics of many values.</summary>
    public static ValuePool Of(List<object?> values)
    {
        var groups = values.GroupBy(v => v).OrderBy(g => g.Key is null ? double.NaN : Convert.ToDouble(g.Key is DateTime t ? t.Ticks : g.Key, CultureInfo.InvariantCulture)).ToArray();
        if (groups.Length <= ColumnCoder.PoolSize)
        {
            long sum = 0;
            return new ValuePool(groups.Select(g => g.Key).ToArray(), groups.Select(g => sum += g.Count()).ToArray());
        }

        var sorted = groups.SelectMany(g => g).ToArray();
        var picked = Enumerable.Range(0, ColumnCoder.PoolSize).Select(k => sorted[(int)((k + 0.5) * sorted.Length / ColumnCoder.PoolSize)]).ToArray();
        return new ValuePool(picked, Enumerable.Range(1, picked.Length).Select(k => (long)k).ToArray());
    }

    public object? Draw(ref SeededRandom random)
    {
        if (Values.Length == 1)
        {
            return Values[0];
        }

        return Values[IndexOf(Cumulative, (long)(random.NextDouble() * Cumulative[^1]))];
    }

    /// <summary>The first index whose cumulative weight exceeds <paramref name="draw"/> (zero-weight entries are never chosen).</summary>
    public static int IndexOf(long[] cumulative, long draw)
    {
        int lo = 0, hi = cumulative.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > draw)
            {
                hi = mid;
            }
            else
            {
                lo = mid + 1;
            }
        }

        return lo;
    }
}
