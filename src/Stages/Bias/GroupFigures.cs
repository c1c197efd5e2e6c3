namespace Pipelines.Stages.Bias;

/// <summary>
/// Every per-group and between-group figure of one attribute as a function of its <see cref="GroupCounts"/>, so the
/// same code gives the point estimate and each bootstrap resample.
/// </summary>
internal sealed class GroupFigures
{
    private readonly string[] _groups;
    private readonly string[] _labels;
    private readonly int _positive;
    private readonly bool _hasPredictions;
    private readonly IReadOnlyDictionary<string, double>? _expectedShares;
    private readonly Dictionary<string, int> _contributors = new(StringComparer.Ordinal);

    public GroupFigures(string[] groups, string[] labels, int positive, bool hasPredictions, IReadOnlyDictionary<string, double>? expectedShares, bool[] eligible, int referenceGroup)
    {
        _groups = groups;
        _labels = labels;
        _positive = positive;
        _hasPredictions = hasPredictions;
        _expectedShares = expectedShares;
        Eligible = eligible;
        ReferenceGroup = referenceGroup;
    }

    /// <summary>Groups that take part in between-group figures (fixed from the data, not per resample).</summary>
    public bool[] Eligible { get; }

    /// <summary>Code of the reference group, or −1 for max − min over groups.</summary>
    public int ReferenceGroup { get; }

    /// <summary>
    /// Emits every figure. <paramref name="point"/>: record how many groups each max − min (or worst-of) figure is over;
    /// a resample in which fewer groups define the figure gives no value for it (it would compare fewer groups).
    /// </summary>
    public void Compute(GroupCounts c, bool point, Action<string, string, double> add)
    {
        int g = _groups.Length, l = _labels.Length;
        var parity = new List<(int Group, double Rate)>();
        var tpr = new List<(int Group, double Rate)>();
        var fpr = new List<(int Group, double Rate)>();
        for (int k = 0; k < g; k++)
        {
            if (c.Rows[k] == 0)
            {
                continue;
            }

            string group = _groups[k];
            double share = (double)c.Rows[k] / c.Total;
            add(group, "count", c.Rows[k]);
            add(group, "share", share);
            if (_expectedShares is not null && _expectedShares.TryGetValue(group, out double expected) && expected > 0)
            {
                add(group, "representation_ratio", share / expected);
            }

            long labelled = 0;
            for (int j = 0; j < l; j++)
            {
                labelled += c.Table[k, j];
            }

            for (int j = 0; j < l; j++)
            {
                add(group, "label_share:" + _labels[j], labelled == 0 ? 0 : (double)c.Table[k, j] / labelled);
            }

            bool eligible = Eligible[k];
            if (_positive >= 0 && labelled > 0)
            {
                double baseRate = (double)c.Table[k, _positive] / labelled;
                add(group, "base_rate", baseRate);
                if (!_hasPredictions && eligible)
                {
                    parity.Add((k, baseRate));
                }
            }

            if (!_hasPredictions || _positive < 0)
            {
                continue;
            }

            if (c.Predicted[k] > 0)
            {
                double selection = (double)c.PredictedPositive[k] / c.Predicted[k];
                add(group, "selection_rate", selection);
                if (eligible)
                {
                    parity.Add((k, selection));
                }
            }

            long tp = c.Confusion[k, 0], fn = c.Confusion[k, 1], fp = c.Confusion[k, 2], tn = c.Confusion[k, 3];
            if (tp + fn > 0)
            {
                add(group, "true_positive_rate", (double)tp / (tp + fn));
                add(group, "false_negative_rate", (double)fn / (tp + fn));
                if (eligible)
                {
                    tpr.Add((k, (double)tp / (tp + fn)));
                }
            }

            if (fp + tn > 0)
            {
                add(group, "false_positive_rate", (double)fp / (fp + tn));
                add(group, "true_negative_rate", (double)tn / (fp + tn));
                if (eligible)
                {
                    fpr.Add((k, (double)fp / (fp + tn)));
                }
            }
        }

        if (ReferenceGroup < 0)
        {
            BetweenGroups(parity, tpr, fpr, point, add);
        }
        else
        {
            AgainstReference(parity, tpr, fpr, point, add);
        }
    }

    // Fairlearn: difference = max − min over groups, ratio = min / max (1 when every rate is 0).
    private void BetweenGroups(List<(int Group, double Rate)> parity, List<(int Group, double Rate)> tpr, List<(int Group, double Rate)> fpr, bool point, Action<string, string, double> add)
    {
        if (Spread(parity, "parity", point) is var (dpd, dpr))
        {
            add("*", "demographic_parity_difference", dpd);
            add("*", "demographic_parity_ratio", dpr);
            add("*", "disparate_impact", dpr);
        }

        var eo = Spread(tpr, "tpr", point);
        if (eo is var (eod, eor))
        {
            add("*", "equal_opportunity_difference", eod);
            add("*", "equal_opportunity_ratio", eor);
        }

        if (eo is { } t && Spread(fpr, "fpr", point) is { } f)
        {
            add("*", "equalized_odds_difference", Math.Max(t.Difference, f.Difference));
            add("*", "equalized_odds_ratio", Math.Min(t.Ratio, f.Ratio));
        }
    }

    private (double Difference, double Ratio)? Spread(List<(int Group, double Rate)> rates, string key, bool point)
    {
        if (!Enough(rates.Count, key, point, 2))
        {
            return null;
        }

        double max = rates.Max(r => r.Rate), min = rates.Min(r => r.Rate);
        return (max - min, max == 0 ? 1.0 : min / max);
    }

    // Every other eligible group against the reference: difference = group − reference, ratio = group / reference
    // (1 when both are 0, none when only the reference is 0). Group "*" holds the worst: the difference of largest
    // magnitude (signed) and the smallest ratio.
    private void AgainstReference(List<(int Group, double Rate)> parity, List<(int Group, double Rate)> tpr, List<(int Group, double Rate)> fpr, bool point, Action<string, string, double> add)
    {
        var dp = Compare(parity);
        var eo = Compare(tpr);
        var fp = Compare(fpr);
        var odds = new List<(int Group, double Difference, double? Ratio)>();
        foreach (var t in eo)
        {
            foreach (var f in fp.Where(f => f.Group == t.Group))
            {
                double? ratio = t.Ratio is { } a && f.Ratio is { } b ? Math.Min(a, b) : null;
                odds.Add((t.Group, Math.Abs(t.Difference) >= Math.Abs(f.Difference) ? Math.Abs(t.Difference) : Math.Abs(f.Difference), ratio));
            }
        }

        Emit(dp, "parity", "demographic_parity_difference", ["demographic_parity_ratio", "disparate_impact"], point, add);
        Emit(eo, "tpr", "equal_opportunity_difference", ["equal_opportunity_ratio"], point, add);
        Emit(odds, "odds", "equalized_odds_difference", ["equalized_odds_ratio"], point, add);
    }

    private List<(int Group, double Difference, double? Ratio)> Compare(List<(int Group, double Rate)> rates)
    {
        var result = new List<(int, double, double?)>();
        int at = rates.FindIndex(r => r.Group == ReferenceGroup);
        if (at < 0)
        {
            return result;
        }

        double reference = rates[at].Rate;
        foreach (var (group, rate) in rates)
        {
            if (group != ReferenceGroup)
            {
                result.Add((group, rate - reference, reference == 0 ? (rate == 0 ? 1.0 : null) : rate / reference));
            }
        }

        return result;
    }

    private void Emit(List<(int Group, double Difference, double? Ratio)> rows, string key, string difference, string[] ratios, bool point, Action<string, string, double> add)
    {
        foreach (var (group, d, r) in rows)
        {
            add(_groups[group], difference, d);
            if (r is { } ratio)
            {
                foreach (string name in ratios)
                {
                    add(_groups[group], name, ratio);
                }
            }
        }

        if (!Enough(rows.Count, key, point, 1))
        {
            return;
        }

        double worst = rows.Select(x => x.Difference).Aggregate((a, b) => Math.Abs(b) > Math.Abs(a) ? b : a);
        add("*", difference, worst);
        var defined = rows.Where(x => x.Ratio is not null).Select(x => x.Ratio!.Value).ToArray();
        if (defined.Length == rows.Count)
        {
            foreach (string name in ratios)
            {
                add("*", name, defined.Min());
            }
        }
    }

    private bool Enough(int count, string key, bool point, int minimum)
    {
        if (point)
        {
            _contributors[key] = count;
            return count >= minimum;
        }

        return count >= minimum && _contributors.TryGetValue(key, out int expected) && count == expected;
    }
}
