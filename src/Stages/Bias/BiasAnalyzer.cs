using System.Globalization;
using MathNet.Numerics.Distributions;

namespace Pipelines.Stages.Bias;

/// <summary>
/// Representation, label balance and group fairness metrics of a labelled table (plain arrays in,
/// <see cref="BiasAnalysis"/> out). Group and label names are ordered ordinally, so output order is fixed.
/// </summary>
public static class BiasAnalyzer
{
    /// <summary>Label used for groups whose value is missing.</summary>
    public const string MissingGroup = "(missing)";

    /// <summary>Computes every metric for all rows and, when <see cref="BiasData.Source"/> is given, for the real rows.</summary>
    public static BiasAnalysis Analyze(BiasData data, BiasSettings settings)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(settings);
        int n = data.Labels.Count;
        CheckLength(data.Predictions?.Count, n, "prediction");
        CheckLength(data.Source?.Count, n, "_source");
        foreach (var a in data.Attributes)
        {
            CheckLength(a.Groups.Count, n, a.Name);
        }

        foreach (var t in data.TextColumns)
        {
            CheckLength(t.Texts.Count, n, t.Name);
        }

        var labels = new CategoricalCodes(data.Labels, null);
        string? positive = settings.PositiveLabel ?? DefaultPositive(labels.Names);
        int positiveCode = positive is null ? -1 : labels.IndexOf(positive);
        if (settings.PositiveLabel is not null && positiveCode < 0)
        {
            throw new ArgumentException(
                $"'positive_label' '{settings.PositiveLabel}' does not occur in the label column. Labels found: {string.Join(", ", labels.Names)}.");
        }

        int[]? predictions = null;
        if (data.Predictions is not null)
        {
            predictions = new int[n];
            for (int i = 0; i < n; i++)
            {
                predictions[i] = data.Predictions[i] is null ? -1 : data.Predictions[i] == positive ? 1 : 0;
            }
        }

        var attributes = data.Attributes.Select(a => (a.Name, Codes: new CategoricalCodes(a.Groups, MissingGroup))).ToArray();
        var subsets = new List<(string Name, bool[]? Mask)> { ("all", null) };
        if (data.Source is not null)
        {
            var mask = new bool[n];
            for (int i = 0; i < n; i++)
            {
                mask[i] = string.Equals(data.Source[i], "real", StringComparison.OrdinalIgnoreCase);
            }

            subsets.Add(("real", mask));
        }

        var metrics = new List<BiasMetric>();
        var violations = new List<BiasViolation>();
        var notes = new List<string>();
        for (int s = 0; s < subsets.Count; s++)
        {
            var (subset, mask) = subsets[s];
            AddLabelBalance(metrics, subset, labels, mask);
            var rows = Enumerable.Range(0, n).Where(i => mask is null || mask[i]).ToArray();
            var figures = new GroupFigures[attributes.Length];
            var points = new List<(string Group, string Metric, double Value)>[attributes.Length];
            for (int a = 0; a < attributes.Length; a++)
            {
                var (name, codes) = attributes[a];
                var counts = new GroupCounts(codes.Codes, codes.Names.Length, labels.Codes, labels.Names.Length, predictions, positiveCode);
                foreach (int i in rows)
                {
                    counts.Add(i);
                }

                figures[a] = Prepare(settings, subset, name, codes, counts, labels.Names, positiveCode, predictions is not null, notes);
                var list = new List<(string, string, double)>();
                figures[a].Compute(counts, point: true, (group, metric, value) => list.Add((group, metric, value)));
                points[a] = list;
            }

            var intervals = BiasBootstrap.Intervals(settings, s, rows, attributes.Select(x => x.Codes).ToArray(), labels, predictions, positiveCode, figures, points);
            for (int a = 0; a < attributes.Length; a++)
            {
                var (name, codes) = attributes[a];
                var added = new List<BiasMetric>();
                for (int f = 0; f < points[a].Count; f++)
                {
                    var (group, metric, value) = points[a][f];
                    var interval = intervals?[a][f];
                    added.Add(new BiasMetric(name, group, metric, value, subset, interval?.Low, interval?.High));
                }

                metrics.AddRange(added);
                CheckThresholds(violations, settings.Thresholds, subset, name, figures[a].ReferenceGroup >= 0, added);
                AddChiSquare(metrics, subset, name, Table(codes, labels, mask));
                foreach (var text in data.TextColumns)
                {
                    AddTextLengths(metrics, subset, name, codes, text, mask);
                }
            }
        }

        return new BiasAnalysis(metrics, violations, positiveCode >= 0 ? positive : null, subsets.Select(x => x.Name).ToArray(), notes);
    }

    private static void CheckLength(int? count, int expected, string name)
    {
        if (count is not null && count != expected)
        {
            throw new ArgumentException($"Column '{name}' has {count} values but the label column has {expected}.");
        }
    }

    private static string? DefaultPositive(string[] labels)
    {
        if (labels.Length == 2)
        {
            foreach (string candidate in new[] { "1", "true", "True", "yes" })
            {
                if (labels.Contains(candidate, StringComparer.Ordinal))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static void AddLabelBalance(List<BiasMetric> metrics, string subset, CategoricalCodes labels, bool[]? mask)
    {
        var counts = new long[labels.Names.Length];
        long total = 0;
        for (int i = 0; i < labels.Codes.Length; i++)
        {
            if ((mask is null || mask[i]) && labels.Codes[i] >= 0)
            {
                counts[labels.Codes[i]]++;
                total++;
            }
        }

        double entropy = 0;
        long max = 0, min = long.MaxValue;
        for (int k = 0; k < counts.Length; k++)
        {
            double p = total == 0 ? 0 : (double)counts[k] / total;
            metrics.Add(new BiasMetric("*", labels.Names[k], "label_share", p, subset));
            if (p > 0)
            {
                entropy -= p * Math.Log2(p);
            }

            max = Math.Max(max, counts[k]);
            min = Math.Min(min, counts[k]);
        }

        metrics.Add(new BiasMetric("*", "*", "rows", total, subset));
        metrics.Add(new BiasMetric("*", "*", "label_entropy_bits", entropy, subset));
        if (counts.Length > 0 && min > 0)
        {
            metrics.Add(new BiasMetric("*", "*", "label_imbalance_ratio", (double)max / min, subset));
        }
    }

    // Which groups are compared (min_group_size, decided on the subset's rows) and with which reference group.
    private static GroupFigures Prepare(BiasSettings settings, string subset, string name, CategoricalCodes codes, GroupCounts counts, string[] labelNames, int positiveCode, bool hasPredictions, List<string> notes)
    {
        var eligible = new bool[codes.Names.Length];
        var small = new List<string>();
        for (int k = 0; k < eligible.Length; k++)
        {
            eligible[k] = counts.Rows[k] >= Math.Max(1, settings.MinGroupSize);
            if (!eligible[k] && counts.Rows[k] > 0)
            {
                small.Add(string.Create(CultureInfo.InvariantCulture, $"{codes.Names[k]} (n={counts.Rows[k]})"));
            }
        }

        if (small.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"{name} ({subset}): {string.Join(", ", small)} below min_group_size {settings.MinGroupSize}: reported per group, left out of between-group figures."));
        }

        int reference = -1;
        if (settings.ReferenceGroup.TryGetValue(name, out string? referenceName))
        {
            reference = codes.IndexOf(referenceName);
            if (reference < 0)
            {
                throw new ArgumentException($"'reference_group.{name}' '{referenceName}' is not a group of '{name}'. Groups found: {string.Join(", ", codes.Names)}.");
            }

            if (!eligible[reference])
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{name} ({subset}): reference group {referenceName} has {counts.Rows[reference]} rows, below min_group_size {settings.MinGroupSize} or absent: no between-group figures."));
            }
        }

        return new GroupFigures(codes.Names, labelNames, positiveCode, hasPredictions, settings.Reference.TryGetValue(name, out var r) ? r : null, eligible, reference);
    }

    private static long[,] Table(CategoricalCodes groups, CategoricalCodes labels, bool[]? mask)
    {
        var table = new long[groups.Names.Length, labels.Names.Length];
        for (int i = 0; i < groups.Codes.Length; i++)
        {
            if ((mask is null || mask[i]) && labels.Codes[i] >= 0)
            {
                table[groups.Codes[i], labels.Codes[i]]++;
            }
        }

        return table;
    }

    // A threshold is broken when the whole interval is beyond it (the point, when there is no interval) and
    // inconclusive when the interval straddles it. Against a reference group every group's figure is checked.
    private static void CheckThresholds(List<BiasViolation> violations, BiasThresholds thresholds, string subset, string name, bool perGroup, List<BiasMetric> figures)
    {
        if (thresholds.MinGroupShare is { } minShare)
        {
            foreach (var m in figures.Where(m => m.Metric == "share"))
            {
                Judge(violations, "min_group_share", m, minShare, below: true);
            }
        }

        bool Compared(BiasMetric m) => perGroup ? m.Group != "*" : m.Group == "*";
        if (thresholds.DisparateImpactMin is { } diMin)
        {
            foreach (var m in figures.Where(m => m.Metric == "disparate_impact" && Compared(m)))
            {
                Judge(violations, "disparate_impact_min", m, diMin, below: true);
            }
        }

        if (thresholds.ParityDifferenceMax is { } pdMax)
        {
            foreach (var m in figures.Where(m => m.Metric == "demographic_parity_difference" && Compared(m)))
            {
                // A signed difference (against a reference) breaks the limit on either side.
                var magnitude = m.Low is { } lo && m.High is { } hi
                    ? m with { Value = Math.Abs(m.Value), Low = lo <= 0 && hi >= 0 ? 0 : Math.Min(Math.Abs(lo), Math.Abs(hi)), High = Math.Max(Math.Abs(lo), Math.Abs(hi)) }
                    : m with { Value = Math.Abs(m.Value) };
                Judge(violations, "parity_difference_max", magnitude, pdMax, below: false, shown: m);
            }
        }
    }

    private static void Judge(List<BiasViolation> violations, string threshold, BiasMetric m, double limit, bool below, BiasMetric? shown = null)
    {
        shown ??= m;
        bool Beyond(double v) => below ? v < limit : v > limit;
        BiasVerdict? verdict = m.Low is { } lo && m.High is { } hi
            ? (Beyond(below ? hi : lo) ? BiasVerdict.Broken : Beyond(below ? lo : hi) ? BiasVerdict.Inconclusive : null)
            : (Beyond(m.Value) ? BiasVerdict.Broken : null);
        if (verdict is { } v)
        {
            violations.Add(new BiasViolation(threshold, m.Attribute, m.Group, m.Subset, shown.Value, limit, v, shown.Low, shown.High));
        }
    }

    // Pearson's chi-square test of independence between group and label over non-empty rows and columns.
    private static void AddChiSquare(List<BiasMetric> metrics, string subset, string name, long[,] table)
    {
        int g = table.GetLength(0), l = table.GetLength(1);
        var rowTotals = new double[g];
        var colTotals = new double[l];
        double total = 0;
        for (int i = 0; i < g; i++)
        {
            for (int j = 0; j < l; j++)
            {
                rowTotals[i] += table[i, j];
                colTotals[j] += table[i, j];
                total += table[i, j];
            }
        }

        int rowsUsed = rowTotals.Count(t => t > 0), colsUsed = colTotals.Count(t => t > 0);
        int dof = (rowsUsed - 1) * (colsUsed - 1);
        if (dof <= 0)
        {
            return;
        }

        double statistic = 0;
        for (int i = 0; i < g; i++)
        {
            for (int j = 0; j < l; j++)
            {
                double expected = rowTotals[i] * colTotals[j] / total;
                if (expected > 0)
                {
                    double d = table[i, j] - expected;
                    statistic += d * d / expected;
                }
            }
        }

        metrics.Add(new BiasMetric(name, "*", "chi_square", statistic, subset));
        metrics.Add(new BiasMetric(name, "*", "chi_square_dof", dof, subset));
        metrics.Add(new BiasMetric(name, "*", "chi_square_p_value", 1.0 - ChiSquared.CDF(dof, statistic), subset));
    }

    private static void AddTextLengths(List<BiasMetric> metrics, string subset, string name, CategoricalCodes groups, TextAttribute text, bool[]? mask)
    {
        var lengths = new List<int>[groups.Names.Length];
        for (int k = 0; k < lengths.Length; k++)
        {
            lengths[k] = [];
        }

        for (int i = 0; i < groups.Codes.Length; i++)
        {
            if ((mask is null || mask[i]) && text.Texts[i] is { } value)
            {
                lengths[groups.Codes[i]].Add(value.Length);
            }
        }

        for (int k = 0; k < lengths.Length; k++)
        {
            var list = lengths[k];
            if (list.Count == 0)
            {
                continue;
            }

            list.Sort();
            string prefix = "text_length:" + text.Name + ":";
            metrics.Add(new BiasMetric(name, groups.Names[k], prefix + "mean", list.Average(), subset));
            metrics.Add(new BiasMetric(name, groups.Names[k], prefix + "median", Quantile(list, 0.5), subset));
            metrics.Add(new BiasMetric(name, groups.Names[k], prefix + "p90", Quantile(list, 0.9), subset));
        }
    }

    // Linear interpolation between closest ranks (numpy's default).
    private static double Quantile(List<int> sorted, double q)
    {
        double position = q * (sorted.Count - 1);
        int lower = (int)Math.Floor(position);
        int upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
