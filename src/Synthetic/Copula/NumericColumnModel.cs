using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>
/// A numeric or timestamp column: a fitted marginal, tabulated as value = F⁻¹(Φ(z)) on a fine
/// latent grid so that sampling is a table lookup (no special functions on the hot path),
/// then rounded to the column's decimals / integer-ness / time resolution and clamped to [min, max].
/// </summary>
internal sealed class NumericColumnModel : ColumnModel
{
    private const double GridMin = -7.5;
    private const double GridMax = 7.5;
    private const int GridPoints = 3001;
    private const double GridScale = (GridPoints - 1) / (GridMax - GridMin);
    private const long UnixEpochTicks = 621355968000000000L;

    private readonly CopulaColumnDocument _document;
    private readonly double[] _grid;
    private readonly double[]? _sortedTraining;

    public NumericColumnModel(CopulaColumnDocument document)
        : this(document, null)
    {
    }

    private NumericColumnModel(CopulaColumnDocument document, double[]? sortedTraining)
        : base(document.Name, document.Storage)
    {
        _document = document;
        _sortedTraining = sortedTraining;
        Marginal = new MarginalDistribution(document.Family, document.Parameters, document.Ks);
        _grid = new double[GridPoints];
        for (int j = 0; j < GridPoints; j++)
        {
            double z = GridMin + j / GridScale;
            double v = Marginal.InverseCdf(StandardNormal.Cdf(z));
            _grid[j] = Math.Clamp(double.IsFinite(v) ? v : (z < 0 ? document.Min : document.Max), document.Min, document.Max);
        }

        // Keep the table monotone even if an inverse CDF wobbles numerically.
        for (int j = 1; j < GridPoints; j++)
        {
            _grid[j] = Math.Max(_grid[j], _grid[j - 1]);
        }
    }

    public MarginalDistribution Marginal { get; }

    public double NullRate => _document.NullRate;

    public static NumericColumnModel Fit(TableColumn column, GaussianCopulaOptions options)
    {
        var values = new List<double>(column.Length);
        for (int i = 0; i < column.Length; i++)
        {
            if (!column.IsNull(i))
            {
                values.Add(ToDouble(column, i));
            }
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        var marginal = MarginalFitter.Fit(sorted, options.Families, options.EmpiricalThreshold, options.QuantileCount);
        var document = new CopulaColumnDocument
        {
            Name = column.Name,
            Storage = column.Storage,
            NullRate = (double)(column.Length - sorted.Length) / column.Length,
            Family = marginal.Family,
            Parameters = marginal.Parameters,
            Ks = marginal.Ks,
            Min = sorted[0],
            Max = sorted[^1],
            Decimals = column.Storage switch
            {
                ColumnStorage.Int64 => 0,
                ColumnStorage.Double => DecimalPlaces(sorted),
                _ => -1,
            },
            StepTicks = column.Storage == ColumnStorage.Timestamp ? TimeStep(column) : 1,
        };
        return new NumericColumnModel(document, sorted);
    }

    public override double Score(TableColumn column, int row)
    {
        var sorted = _sortedTraining ?? throw new InvalidOperationException("Scores are only available right after fitting.");
        if (column.IsNull(row))
        {
            return 0.0;
        }

        double x = ToDouble(column, row);
        int low = LowerBound(sorted, x);
        int high = UpperBound(sorted, x);
        return StandardNormal.IntervalMean((double)low / sorted.Length, (double)high / sorted.Length);
    }

    public override void Decode(ReadOnlySpan<double> latent, Array target, int offset, ref SeededRandom random, bool allowNull)
    {
        double nullRate = allowNull ? _document.NullRate : 0.0;
        switch (target)
        {
            case double?[] doubles:
                for (int r = 0; r < latent.Length; r++)
                {
                    doubles[offset + r] = nullRate > 0 && random.NextDouble() < nullRate ? null : Value(latent[r]);
                }

                break;
            case long?[] longs:
                for (int r = 0; r < latent.Length; r++)
                {
                    longs[offset + r] = nullRate > 0 && random.NextDouble() < nullRate ? null : (long)Value(latent[r]);
                }

                break;
            case DateTime?[] times:
                for (int r = 0; r < latent.Length; r++)
                {
                    times[offset + r] = nullRate > 0 && random.NextDouble() < nullRate ? null : ToTimestamp(Value(latent[r]));
                }

                break;
        }
    }

    public override (double Low, double High) LatentInterval(object value)
    {
        double v = ParseCondition(value);
        double exact = Storage == ColumnStorage.Timestamp ? Rounded(v) : v;

        // Value(z) is non-decreasing, so {z : Value(z) == v} is an interval: find its ends by bisection,
        // keeping each end on the side where the equality is known to hold.
        double low;
        if (Value(-LatentLimit) >= exact)
        {
            low = -LatentLimit;
        }
        else
        {
            double a = -LatentLimit, b = LatentLimit;
            for (int i = 0; i < 100; i++)
            {
                double m = 0.5 * (a + b);
                if (Value(m) >= exact)
                {
                    b = m;
                }
                else
                {
                    a = m;
                }
            }

            low = b;
        }

        double high;
        if (Value(LatentLimit) <= exact)
        {
            high = LatentLimit;
        }
        else
        {
            double a = -LatentLimit, b = LatentLimit;
            for (int i = 0; i < 100; i++)
            {
                double m = 0.5 * (a + b);
                if (Value(m) <= exact)
                {
                    a = m;
                }
                else
                {
                    b = m;
                }
            }

            high = a;
        }

        if (!(low <= high) || Value(low) != exact || Value(high) != exact)
        {
            throw new ArgumentException(
                $"Condition on column '{Name}': the model never produces the value {Convert.ToString(value, CultureInfo.InvariantCulture)} " +
                $"(observed range {Format(_document.Min)} to {Format(_document.Max)}" +
                (_document.Decimals >= 0 ? $", {_document.Decimals} decimal places)." : ")."));
        }

        return (low, high);
    }

    public override CopulaColumnDocument ToDocument() => _document;

    /// <summary>The model's value (before typing) for a latent value.</summary>
    internal double Value(double z)
    {
        double t = (z - GridMin) * GridScale;
        double v;
        if (t <= 0)
        {
            v = _grid[0];
        }
        else if (t >= GridPoints - 1)
        {
            v = _grid[GridPoints - 1];
        }
        else
        {
            int i = (int)t;
            v = _grid[i] + (t - i) * (_grid[i + 1] - _grid[i]);
        }

        return Math.Clamp(Rounded(v), _document.Min, _document.Max);
    }

    private double Rounded(double v)
    {
        if (Storage == ColumnStorage.Timestamp)
        {
            double step = _document.StepTicks / (double)TimeSpan.TicksPerSecond;
            return Math.Round(v / step) * step;
        }

        return _document.Decimals switch
        {
            0 => Math.Round(v),
            > 0 => Math.Round(v, Math.Min(_document.Decimals, 15)),
            _ => v,
        };
    }

    private double ParseCondition(object value)
    {
        try
        {
            return value switch
            {
                DateTime t => Seconds(t),
                DateTimeOffset o => Seconds(o.UtcDateTime),
                string s when Storage == ColumnStorage.Timestamp =>
                    Seconds(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)),
                string s => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
                _ => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is FormatException or InvalidCastException or OverflowException)
        {
            throw new ArgumentException(
                $"Condition on column '{Name}': '{Convert.ToString(value, CultureInfo.InvariantCulture)}' is not a {(Storage == ColumnStorage.Timestamp ? "timestamp" : "number")}.", e);
        }
    }

    private static double ToDouble(TableColumn column, int row) => column.Values switch
    {
        long?[] l => l[row]!.Value,
        double?[] d => d[row]!.Value,
        DateTime?[] t => Seconds(t[row]!.Value),
        _ => throw new ArgumentException($"Column '{column.Name}' is not numeric."),
    };

    private static double Seconds(DateTime t) => (t.Ticks - UnixEpochTicks) / (double)TimeSpan.TicksPerSecond;

    private static DateTime ToTimestamp(double seconds) =>
        new(UnixEpochTicks + (long)Math.Round(seconds * TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    private static string Format(double v) => v.ToString("G10", CultureInfo.InvariantCulture);

    private static int DecimalPlaces(double[] sorted)
    {
        int decimals = 0;
        double previous = double.NaN;
        foreach (double v in sorted)
        {
            if (v == previous)
            {
                continue;
            }

            previous = v;
            while (decimals <= 10 && Math.Round(v, decimals) != v)
            {
                decimals++;
            }

            if (decimals > 10)
            {
                return -1;
            }
        }

        return decimals;
    }

    private static long TimeStep(TableColumn column)
    {
        long[] steps = [TimeSpan.TicksPerDay, TimeSpan.TicksPerSecond, TimeSpan.TicksPerMillisecond, 1];
        var values = (DateTime?[])column.Values;
        foreach (long step in steps)
        {
            bool all = true;
            foreach (var t in values)
            {
                if (t.HasValue && t.Value.Ticks % step != 0)
                {
                    all = false;
                    break;
                }
            }

            if (all)
            {
                return step;
            }
        }

        return 1;
    }

    private static int LowerBound(double[] a, double x)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x)
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

    private static int UpperBound(double[] a, double x)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (a[mid] <= x)
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
}
