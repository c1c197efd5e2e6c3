using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>
/// <see cref="Low"/> ≤ <see cref="High"/> in every row where both are set (a start before its end, a minimum below
/// its maximum). Kept by rejecting sampled rows that break it.
/// </summary>
public sealed class Inequality : IDataRule
{
    /// <summary>Creates the rule; <paramref name="realViolations"/> counts the real rows that break it.</summary>
    public Inequality(string low, string high, int realViolations, int realRows, bool detected)
    {
        Low = low;
        High = high;
        RealViolations = realViolations;
        RealRows = realRows;
        Detected = detected;
    }

    /// <inheritdoc />
    public string Type => "inequality";

    /// <summary>The column that is never larger.</summary>
    public string Low { get; }

    /// <summary>The column that is never smaller.</summary>
    public string High { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Columns => [Low, High];

    /// <inheritdoc />
    public bool Detected { get; }

    /// <summary>Real rows where <see cref="Low"/> &gt; <see cref="High"/>.</summary>
    public int RealViolations { get; }

    private int RealRows { get; }

    /// <summary>The rule when <paramref name="low"/> ≤ <paramref name="high"/> in every real row and their ranges overlap (else the marginals alone keep it); null otherwise.</summary>
    public static Inequality? Detect(ColumnTable real, string low, string high)
    {
        var a = ColumnValues.ToDoubles(real[low]);
        var b = ColumnValues.ToDoubles(real[high]);
        int both = 0;
        double maxLow = double.NegativeInfinity, minHigh = double.PositiveInfinity;
        for (int i = 0; i < a.Length; i++)
        {
            if (double.IsNaN(a[i]) || double.IsNaN(b[i]))
            {
                continue;
            }

            if (a[i] > b[i])
            {
                return null;
            }

            both++;
            maxLow = Math.Max(maxLow, a[i]);
            minHigh = Math.Min(minHigh, b[i]);
        }

        bool equalEverywhere = Enumerable.Range(0, a.Length).All(i => double.IsNaN(a[i]) || double.IsNaN(b[i]) || a[i] == b[i]);
        return both > 0 && maxLow > minHigh && !equalEverywhere ? new Inequality(low, high, 0, real.RowCount, detected: true) : null;
    }

    /// <inheritdoc />
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"{Low} ≤ {High} (holds in {RuleKeys.Share(RealRows - RealViolations, RealRows)})");

    /// <inheritdoc />
    public ColumnTable Derive(ColumnTable sample, long seed) => sample;

    /// <inheritdoc />
    public bool[] Holds(ColumnTable table)
    {
        var a = ColumnValues.ToDoubles(table[Low]);
        var b = ColumnValues.ToDoubles(table[High]);
        return Enumerable.Range(0, a.Length).Select(i => double.IsNaN(a[i]) || double.IsNaN(b[i]) || a[i] <= b[i]).ToArray();
    }
}
