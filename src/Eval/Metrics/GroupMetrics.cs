namespace Pipelines.Eval;

/// <summary>
/// Per-group metrics over one sensitive column, and the gaps between groups: demographic-parity difference
/// (largest minus smallest selection rate) and equalized-odds difference (the larger of the TPR gap and the FPR gap,
/// as fairlearn defines it).
/// </summary>
public sealed record GroupMetrics
{
    /// <summary>The sensitive column.</summary>
    public required string Column { get; init; }

    /// <summary>The label treated as the positive outcome.</summary>
    public required string PositiveLabel { get; init; }

    /// <summary>Per group, sorted by group value (ordinal); null values form the group "(missing)".</summary>
    public required IReadOnlyList<GroupRates> Groups { get; init; }

    /// <summary>Largest minus smallest selection rate.</summary>
    public required double DemographicParityDifference { get; init; }

    /// <summary>max(TPR gap, FPR gap) over groups where the rates are defined.</summary>
    public required double EqualizedOddsDifference { get; init; }

    /// <summary>Computes the metrics for class ids <paramref name="actual"/>/<paramref name="predicted"/> and each row's group.</summary>
    public static GroupMetrics Compute(string column, IReadOnlyList<string?> groups, IReadOnlyList<int> actual, IReadOnlyList<int> predicted, int positive, string positiveLabel)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        if (groups.Count != actual.Count || actual.Count != predicted.Count)
        {
            throw new ArgumentException($"Column '{column}' has {groups.Count} values for {actual.Count} rows and {predicted.Count} predictions.", nameof(groups));
        }

        var rates = new List<GroupRates>();
        foreach (var group in groups.Select(g => g ?? "(missing)").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            int n = 0, correct = 0, selected = 0, positives = 0, negatives = 0, tp = 0, fp = 0;
            for (var i = 0; i < actual.Count; i++)
            {
                if ((groups[i] ?? "(missing)") != group)
                {
                    continue;
                }

                n++;
                var isPositive = actual[i] == positive;
                var predictedPositive = predicted[i] == positive;
                correct += actual[i] == predicted[i] ? 1 : 0;
                selected += predictedPositive ? 1 : 0;
                positives += isPositive ? 1 : 0;
                negatives += isPositive ? 0 : 1;
                tp += isPositive && predictedPositive ? 1 : 0;
                fp += !isPositive && predictedPositive ? 1 : 0;
            }

            rates.Add(new GroupRates(group, n, (double)correct / n, (double)selected / n,
                positives == 0 ? null : (double)tp / positives, negatives == 0 ? null : (double)fp / negatives));
        }

        return new GroupMetrics
        {
            Column = column,
            PositiveLabel = positiveLabel,
            Groups = rates,
            DemographicParityDifference = Gap(rates.Select(r => (double?)r.SelectionRate)),
            EqualizedOddsDifference = Math.Max(Gap(rates.Select(r => r.TruePositiveRate)), Gap(rates.Select(r => r.FalsePositiveRate))),
        };
    }

    private static double Gap(IEnumerable<double?> values)
    {
        var defined = values.Where(v => v.HasValue).Select(v => v!.Value).ToList();
        return defined.Count < 2 ? 0 : defined.Max() - defined.Min();
    }
}
