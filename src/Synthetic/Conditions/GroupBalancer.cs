using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>
/// "Balance column X": plans how many synthetic rows each group of X needs so that every group
/// reaches the largest group's count (or given target counts), and draws them by conditional sampling.
/// </summary>
public static class GroupBalancer
{
    /// <summary>One quota per non-null group, ordered by value (ordinal).</summary>
    /// <exception cref="ArgumentException">Unknown column, a target for a group that does not exist, or a negative target.</exception>
    public static IReadOnlyList<GroupQuota> Plan(ColumnTable real, string column, IReadOnlyDictionary<string, int>? targets = null)
    {
        ArgumentNullException.ThrowIfNull(real);
        if (real.IndexOf(column) < 0)
        {
            throw new ArgumentException(
                $"'balance' names unknown column '{column}'. The table has: {string.Join(", ", real.Columns.Select(c => c.Name))}.",
                nameof(column));
        }

        var values = real[column];
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < values.Length; i++)
        {
            if (values.GetValue(i) is { } v)
            {
                string key = Format(v);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        if (counts.Count == 0)
        {
            throw new ArgumentException($"Column '{column}' has only null values, so it has no groups to balance.", nameof(column));
        }

        if (targets is not null)
        {
            foreach (var (group, target) in targets.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                if (!counts.ContainsKey(group))
                {
                    throw new ArgumentException(
                        $"'targets' names group '{group}', which column '{column}' does not have. Groups: {string.Join(", ", counts.Keys.Order(StringComparer.Ordinal))}.",
                        nameof(targets));
                }

                if (target < 0)
                {
                    throw new ArgumentException($"'targets.{group}' must be at least 0. You entered {target}.", nameof(targets));
                }
            }
        }

        int largest = counts.Values.Max();
        return counts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new GroupQuota(kv.Key, kv.Value,
                targets is null ? largest : targets.TryGetValue(kv.Key, out int t) ? t : kv.Value))
            .ToArray();
    }

    /// <summary>Draws the synthetic rows the plan needs (groups in plan order, each with its own derived seed).</summary>
    public static ColumnTable Sample(ISynthesizer synthesizer, ColumnTable real, string column, IReadOnlyList<GroupQuota> plan, long seed)
    {
        ArgumentNullException.ThrowIfNull(synthesizer);
        var parts = new List<ColumnTable>();
        for (int g = 0; g < plan.Count; g++)
        {
            if (plan[g].Needed > 0)
            {
                parts.Add(synthesizer.Sample(plan[g].Needed, SeededRandom.Derive(seed, g), [new ColumnCondition(column, plan[g].Value)]));
            }
        }

        return parts.Count == 0 ? real.Slice(0, 0) : ColumnTable.Concat(parts);
    }

    private static string Format(object value) => value switch
    {
        bool b => b ? "true" : "false",
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
