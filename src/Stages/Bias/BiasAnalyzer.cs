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
        foreach (var (subset, mask) in subsets)
        {
            AddLabelBalance(metrics, subset, labels, mask);
            foreach (var (name, codes) in attributes)
            {
                var reference = settings.Reference.TryGetValue(name, out var r) ? r : null;
                AddAttribute(metrics, violations, settings.Thresholds, subset, name, codes, labels, positiveCode, predictions, mask, reference);
                foreach (var text in data.TextColumns)
                {
                    AddTextLengths(metrics, subset, name, codes, text, mask);
                }
            }
        }

        return new BiasAnalysis(metrics, violations, positiveCode >= 0 ? positive : null, subsets.Select(s => s.Name).ToArray());
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

    private static void AddAttribute(
        List<BiasMetric> metrics, List<BiasViolation> violations, BiasThresholds thresholds, string subset, string name,
        CategoricalCodes groups, CategoricalCodes labels, int positiveCode, int[]? predictions, bool[]? mask,
        IReadOnlyDictionary<string, double>? reference)
    {
        int g = groups.Names.Length, l = labels.Names.Length;
        var table = new long[g, l];
        var rowsPerGroup = new long[g];
        var confusion = new long[g, 4]; // TP, FN, FP, TN against the positive label
        long rows = 0;
        for (int i = 0; i < groups.Codes.Length; i++)
        {
            if (mask is not null && !mask[i])
            {
                continue;
            }

            int group = groups.Codes[i];
            rowsPerGroup[group]++;
            rows++;
            int label = labels.Codes[i];
            if (label >= 0)
            {
                table[group, label]++;
            }

            if (predictions is not null && label >= 0 && predictions[i] >= 0 && positiveCode >= 0)
            {
                bool actual = label == positiveCode, predicted = predictions[i] == 1;
                confusion[group, actual ? (predicted ? 0 : 1) : (predicted ? 2 : 3)]++;
            }
        }

        var selection = new List<(string Group, double Rate)>();
        var tpr = new List<double>();
        var fpr = new List<double>();
        for (int k = 0; k < g; k++)
        {
            string group = groups.Names[k];
            if (rowsPerGroup[k] == 0)
            {
                continue;
            }

            double share = (double)rowsPerGroup[k] / rows;
            metrics.Add(new BiasMetric(name, group, "count", rowsPerGroup[k], subset));
            metrics.Add(new BiasMetric(name, group, "share", share, subset));
            if (thresholds.MinGroupShare is { } minShare && share < minShare)
            {
                violations.Add(new BiasViolation("min_group_share", name, group, subset, share, minShare));
            }

            if (reference is not null && reference.TryGetValue(group, out double expected) && expected > 0)
            {
                metrics.Add(new BiasMetric(name, group, "representation_ratio", share / expected, subset));
            }

            long labelled = 0;
            for (int j = 0; j < l; j++)
            {
                labelled += table[k, j];
            }

            for (int j = 0; j < l; j++)
            {
                metrics.Add(new BiasMetric(name, group, "label_share:" + labels.Names[j], labelled == 0 ? 0 : (double)table[k, j] / labelled, subset));
            }

            if (positiveCode >= 0 && labelled > 0)
            {
                double rate = (double)table[k, positiveCode] / labelled;
                selection.Add((group, rate));
                metrics.Add(new BiasMetric(name, group, "selection_rate", rate, subset));
            }

            if (predictions is not null && positiveCode >= 0)
            {
                long tp = confusion[k, 0], fn = confusion[k, 1], fp = confusion[k, 2], tn = confusion[k, 3];
                if (tp + fn > 0)
                {
                    tpr.Add((double)tp / (tp + fn));
                    metrics.Add(new BiasMetric(name, group, "true_positive_rate", tpr[^1], subset));
                }

                if (fp + tn > 0)
                {
                    fpr.Add((double)fp / (fp + tn));
                    metrics.Add(new BiasMetric(name, group, "false_positive_rate", fpr[^1], subset));
                }
            }
        }

        if (selection.Count >= 2)
        {
            double max = selection.Max(s => s.Rate), min = selection.Min(s => s.Rate);
            double ratio = max == 0 ? 1.0 : min / max;
            metrics.Add(new BiasMetric(name, "*", "demographic_parity_difference", max - min, subset));
            metrics.Add(new BiasMetric(name, "*", "demographic_parity_ratio", ratio, subset));
            metrics.Add(new BiasMetric(name, "*", "disparate_impact", ratio, subset));
            if (thresholds.DisparateImpactMin is { } diMin && ratio < diMin)
            {
                violations.Add(new BiasViolation("disparate_impact_min", name, "*", subset, ratio, diMin));
            }

            if (thresholds.ParityDifferenceMax is { } pdMax && max - min > pdMax)
            {
                violations.Add(new BiasViolation("parity_difference_max", name, "*", subset, max - min, pdMax));
            }
        }

        if (tpr.Count >= 2)
        {
            double eo = tpr.Max() - tpr.Min();
            metrics.Add(new BiasMetric(name, "*", "equal_opportunity_difference", eo, subset));
            double fprGap = fpr.Count >= 2 ? fpr.Max() - fpr.Min() : 0;
            metrics.Add(new BiasMetric(name, "*", "equalized_odds_difference", Math.Max(eo, fprGap), subset));
        }

        AddChiSquare(metrics, subset, name, table);
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
