namespace Pipelines.Synthetic;

/// <summary>
/// Combinations of two columns' values that real rows never (or almost never) show although the columns' own
/// frequencies would make them common — <c>relationship = Husband</c> with <c>sex = Female</c>. Declared, the rule
/// allows only the combinations seen in the real rows (SDV's FixedCombinations). Kept by redrawing the second
/// column of a sampled row that shows a forbidden combination from the real rows with the same first value (the
/// determined column modelled through its determinant), so the first column's distribution is untouched.
/// </summary>
public sealed class FixedCombinations : IDataRule
{
    private readonly HashSet<(string, string)> _forbidden;
    private readonly HashSet<(string, string)>? _allowed;
    private readonly Dictionary<string, int[]> _realRowsOf; // first-column key -> real rows (allowed combinations only), to redraw from
    private readonly TableColumn _realB;

    private FixedCombinations(ColumnTable real, string a, string b, HashSet<(string, string)> forbidden, HashSet<(string, string)>? allowed, int realViolations, bool detected)
    {
        var ka = RuleKeys.Of(real[a]);
        var kb = RuleKeys.Of(real[b]);
        ColumnA = a;
        ColumnB = b;
        _forbidden = forbidden;
        _allowed = allowed;
        _realRowsOf = Enumerable.Range(0, real.RowCount).Where(i => Allows(ka[i], kb[i]))
            .GroupBy(i => ka[i], StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _realB = real[b];
        RealViolations = realViolations;
        RealRows = real.RowCount;
        Detected = detected;
    }

    /// <inheritdoc />
    public string Type => "fixed_combinations";

    /// <summary>First column.</summary>
    public string ColumnA { get; }

    /// <summary>Second column.</summary>
    public string ColumnB { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Columns => [ColumnA, ColumnB];

    /// <inheritdoc />
    public bool Detected { get; }

    /// <summary>The forbidden combinations (detected rule), in order.</summary>
    public IReadOnlyList<(string A, string B)> Forbidden => _forbidden.Order().ToList();

    /// <summary>Real rows showing a forbidden combination.</summary>
    public int RealViolations { get; }

    private int RealRows { get; }

    /// <summary>
    /// The rule for two columns when some of their combinations have at most <paramref name="maxRows"/> real rows while
    /// independence would give them at least <paramref name="minExpected"/>; null when there is none.
    /// </summary>
    public static FixedCombinations? Detect(ColumnTable real, string a, string b, int maxRows, double minExpected)
    {
        var (ka, kb, counts) = Count(real, a, b);
        var rowsOfA = ka.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var rowsOfB = kb.GroupBy(k => k, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var forbidden = new HashSet<(string, string)>();
        int violations = 0;
        foreach (var (va, na) in rowsOfA)
        {
            foreach (var (vb, nb) in rowsOfB)
            {
                int seen = counts.GetValueOrDefault((va, vb));
                if (seen <= maxRows && (double)na * nb / real.RowCount >= minExpected)
                {
                    forbidden.Add((va, vb));
                    violations += seen;
                }
            }
        }

        return forbidden.Count == 0 ? null : new FixedCombinations(real, a, b, forbidden, null, violations, detected: true);
    }

    /// <summary>The declared rule: only the combinations seen in <paramref name="real"/> are allowed.</summary>
    public static FixedCombinations Declare(ColumnTable real, string a, string b)
    {
        var (_, _, counts) = Count(real, a, b);
        return new FixedCombinations(real, a, b, [], counts.Keys.ToHashSet(), 0, detected: false);
    }

    /// <inheritdoc />
    public string Describe() => _allowed is { } allowed
        ? $"{ColumnA} and {ColumnB} only in the {allowed.Count} combinations the real rows show"
        : $"{ColumnA} and {ColumnB} never together as {string.Join(", ", Forbidden.Take(6).Select(f => $"({RuleKeys.Show(f.A)}, {RuleKeys.Show(f.B)})"))}" +
          (_forbidden.Count > 6 ? $" and {_forbidden.Count - 6} more" : "") + $" (holds in {RuleKeys.Share(RealRows - RealViolations, RealRows)})";

    /// <inheritdoc />
    public ColumnTable Derive(ColumnTable sample, long seed)
    {
        var ka = RuleKeys.Of(sample[ColumnA]);
        var kb = RuleKeys.Of(sample[ColumnB]);
        var random = new SeededRandom(seed);
        var redrawn = new Dictionary<int, object?>();
        for (int i = 0; i < ka.Length; i++)
        {
            if (!Allows(ka[i], kb[i]) && _realRowsOf.TryGetValue(ka[i], out var rows))
            {
                redrawn[i] = _realB.GetValue(rows[random.NextInt(rows.Length)]);
            }
        }

        if (redrawn.Count == 0)
        {
            return sample;
        }

        var column = RuleKeys.With(sample[ColumnB], redrawn);
        return new ColumnTable(sample.Columns.Select(c => c.Name == ColumnB ? column : c));
    }

    /// <inheritdoc />
    public bool[] Holds(ColumnTable table)
    {
        var ka = RuleKeys.Of(table[ColumnA]);
        var kb = RuleKeys.Of(table[ColumnB]);
        return Enumerable.Range(0, table.RowCount).Select(i => Allows(ka[i], kb[i])).ToArray();
    }

    private bool Allows(string a, string b) => _allowed?.Contains((a, b)) ?? !_forbidden.Contains((a, b));

    private static (string[] A, string[] B, Dictionary<(string, string), int> Counts) Count(ColumnTable real, string a, string b)
    {
        var ka = RuleKeys.Of(real[a]);
        var kb = RuleKeys.Of(real[b]);
        var counts = new Dictionary<(string, string), int>();
        for (int i = 0; i < ka.Length; i++)
        {
            counts[(ka[i], kb[i])] = counts.GetValueOrDefault((ka[i], kb[i])) + 1;
        }

        return (ka, kb, counts);
    }
}
