namespace Pipelines.Synthetic;

/// <summary>
/// Finds the relations real rows obey: functional dependencies, combinations that never occur, inequalities. A
/// relation counts when it holds in all rows but <see cref="Tolerance"/> of them (0.1 %: a stray typo must not hide
/// <c>education</c> → <c>education_num</c>), inequalities in all rows.
/// </summary>
public static class RuleDetector
{
    /// <summary>Share of real rows a detected relation may miss.</summary>
    public const double Tolerance = 0.001;

    /// <summary>A determinant has at most this many values (more is an identifier, not a grouping).</summary>
    public const int MaxDeterminantValues = 200;

    /// <summary>Columns of at most this many values are checked for combinations that never occur.</summary>
    public const int MaxCombinationValues = 50;

    /// <summary>A combination is forbidden when independence would give it at least this share of rows.</summary>
    public const double MinExpectedShare = 0.005;

    /// <summary>The relations of <paramref name="real"/>, dependencies first and in an order that derives determinants before their dependents.</summary>
    public static IReadOnlyList<IDataRule> Detect(ColumnTable real)
    {
        ArgumentNullException.ThrowIfNull(real);
        int n = real.RowCount;
        int allowed = (int)Math.Floor(Tolerance * n);
        var keys = real.Columns.Select(RuleKeys.Of).ToArray();
        var distinct = keys.Select(k => k.Distinct(StringComparer.Ordinal).Count()).ToArray();
        var rules = new List<IDataRule>();

        // Functional dependencies, in column order; a column is derived from one determinant only, and never from
        // a column it determines itself (education ↔ education_num keeps the first direction).
        var determinantOf = new Dictionary<int, int>();
        for (int a = 0; a < keys.Length; a++)
        {
            if (distinct[a] < 2 || distinct[a] > MaxDeterminantValues || distinct[a] * 10 > n || real.Columns[a].Kind == ColumnKind.Timestamp)
            {
                continue;
            }

            for (int b = 0; b < keys.Length; b++)
            {
                if (b == a || distinct[b] < 2 || determinantOf.ContainsKey(b) || DependsOn(determinantOf, a, b) || ModeShare(keys[b]) >= 1 - Tolerance)
                {
                    continue;
                }

                if (Violations(keys[a], keys[b], allowed) <= allowed)
                {
                    determinantOf[b] = a;
                }
            }
        }

        foreach (int b in DerivationOrder(determinantOf))
        {
            rules.Add(new FunctionalDependency(real, real.Columns[determinantOf[b]].Name, real.Columns[b].Name, detected: true));
        }

        for (int a = 0; a < keys.Length; a++)
        {
            for (int b = a + 1; b < keys.Length; b++)
            {
                var ca = real.Columns[a];
                var cb = real.Columns[b];
                bool linked = determinantOf.GetValueOrDefault(b, -1) == a || determinantOf.GetValueOrDefault(a, -1) == b;
                if (!linked && distinct[a] <= MaxCombinationValues && distinct[b] <= MaxCombinationValues && !ColumnValues.IsNumeric(ca) && !ColumnValues.IsNumeric(cb)
                    && FixedCombinations.Detect(real, ca.Name, cb.Name, maxRows: (int)Math.Floor(0.1 * Tolerance * n), minExpected: MinExpectedShare * n) is { } combinations
                    && combinations.RealViolations <= allowed)
                {
                    rules.Add(combinations);
                }

                if (ColumnValues.IsNumeric(ca) && ColumnValues.IsNumeric(cb) && ca.Kind == cb.Kind)
                {
                    if (Inequality.Detect(real, ca.Name, cb.Name) is { } lowHigh)
                    {
                        rules.Add(lowHigh);
                    }
                    else if (Inequality.Detect(real, cb.Name, ca.Name) is { } highLow)
                    {
                        rules.Add(highLow);
                    }
                }
            }
        }

        return rules;
    }

    /// <summary>Rows whose dependent value differs from the most frequent one of their determinant value (stops early past the limit).</summary>
    private static int Violations(string[] determinant, string[] dependent, int limit)
    {
        var counts = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        for (int i = 0; i < determinant.Length; i++)
        {
            if (!counts.TryGetValue(determinant[i], out var of))
            {
                counts[determinant[i]] = of = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            of[dependent[i]] = of.GetValueOrDefault(dependent[i]) + 1;
            if (of.Count > limit + 1)
            {
                return int.MaxValue; // more distinct dependents under one value than rows allowed to differ
            }
        }

        return counts.Values.Sum(of => of.Values.Sum() - of.Values.Max());
    }

    private static double ModeShare(string[] keys) =>
        keys.Length == 0 ? 1 : keys.GroupBy(k => k, StringComparer.Ordinal).Max(g => g.Count()) / (double)keys.Length;

    /// <summary>Whether <paramref name="column"/> is derived, directly or through others, from <paramref name="ancestor"/>.</summary>
    private static bool DependsOn(Dictionary<int, int> determinantOf, int column, int ancestor)
    {
        for (int c = column; determinantOf.TryGetValue(c, out int d); c = d)
        {
            if (d == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Dependents ordered so a determinant that is itself derived comes first.</summary>
    private static IEnumerable<int> DerivationOrder(Dictionary<int, int> determinantOf)
    {
        int Depth(int c)
        {
            int depth = 0;
            while (determinantOf.TryGetValue(c, out c))
            {
                depth++;
            }

            return depth;
        }

        return determinantOf.Keys.OrderBy(Depth).ThenBy(c => c);
    }
}
