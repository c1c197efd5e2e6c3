namespace Pipelines.Core.Schemas;

/// <summary>
/// Groups every violation by (column, rule, value), counting all of them and keeping the first rows of each.
/// Memory is bounded: after <see cref="MaxGroups"/> groups a violation of a new group is only counted in
/// <see cref="Ungrouped"/> (a column of unique free text can break a pattern with a new value on every row).
/// </summary>
public sealed class ViolationGrouper
{
    /// <summary>How many distinct groups are kept.</summary>
    public const int MaxGroups = 10_000;

    /// <summary>How many rows are kept per group.</summary>
    public const int FirstRowsKept = 5;

    private readonly Dictionary<(string Column, string Rule, string? Value), (long Count, List<long> Rows)> _groups = [];

    /// <summary>Violations whose group did not fit under <see cref="MaxGroups"/>.</summary>
    public long Ungrouped { get; private set; }

    /// <summary>Counts one violation.</summary>
    public void Add(long row, string column, string rule, string? value)
    {
        var key = (column, rule, value);
        if (_groups.TryGetValue(key, out var group))
        {
            if (group.Rows.Count < FirstRowsKept) group.Rows.Add(row);
            _groups[key] = (group.Count + 1, group.Rows);
        }
        else if (_groups.Count < MaxGroups) _groups[key] = (1, [row]);
        else Ungrouped++;
    }

    /// <summary>The groups, largest first; ties by column, rule, value (ordinal) so the order is reproducible.</summary>
    public IReadOnlyList<ViolationGroup> Groups() => _groups
        .Select(g => new ViolationGroup(g.Key.Column, g.Key.Rule, g.Key.Value, g.Value.Count, g.Value.Rows.ToArray()))
        .OrderByDescending(g => g.Count)
        .ThenBy(g => g.Column, StringComparer.Ordinal).ThenBy(g => g.Rule, StringComparer.Ordinal).ThenBy(g => g.Value ?? "", StringComparer.Ordinal)
        .ToArray();
}
