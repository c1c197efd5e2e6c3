namespace Pipelines.Tuning;

/// <summary>Search spaces inferred from finished trials, for samplers that draw several parameters jointly.</summary>
public static class SearchSpaces
{
    /// <summary>
    /// The parameters present, with the same distribution, in every complete (and optionally pruned) trial,
    /// in name order. Single-valued distributions are left out.
    /// </summary>
    public static IReadOnlyDictionary<string, Distribution> Intersection(IEnumerable<FrozenTrial> trials, bool includePruned = true)
    {
        ArgumentNullException.ThrowIfNull(trials);
        Dictionary<string, Distribution>? space = null;
        foreach (var t in trials)
        {
            if (!(t.State == TrialState.Complete || (includePruned && t.State == TrialState.Pruned)))
            {
                continue;
            }

            if (space is null)
            {
                space = new Dictionary<string, Distribution>(t.Distributions, StringComparer.Ordinal);
                continue;
            }

            foreach (var name in space.Keys.ToList())
            {
                if (!t.Distributions.TryGetValue(name, out var d) || !d.Equals(space[name]))
                {
                    space.Remove(name);
                }
            }
        }

        var result = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
        if (space is not null)
        {
            foreach (var (k, v) in space)
            {
                if (!v.IsSingle)
                {
                    result[k] = v;
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Splits the parameters of complete (and optionally pruned) trials into groups that always appear
    /// together (Optuna's group decomposition), each group in name order.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, Distribution>> Groups(IEnumerable<FrozenTrial> trials, bool includePruned = true)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var groups = new List<SortedDictionary<string, Distribution>>();
        foreach (var t in trials)
        {
            if (!(t.State == TrialState.Complete || (includePruned && t.State == TrialState.Pruned)))
            {
                continue;
            }

            var remaining = new SortedSet<string>(t.Distributions.Keys.Where(k => !t.Distributions[k].IsSingle), StringComparer.Ordinal);
            var next = new List<SortedDictionary<string, Distribution>>();
            foreach (var g in groups)
            {
                var inside = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
                var outside = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
                foreach (var (name, dist) in g)
                {
                    (remaining.Contains(name) ? inside : outside)[name] = dist;
                }

                next.Add(inside);
                next.Add(outside);
                remaining.ExceptWith(g.Keys);
            }

            var fresh = new SortedDictionary<string, Distribution>(StringComparer.Ordinal);
            foreach (var name in remaining)
            {
                fresh[name] = t.Distributions[name];
            }

            next.Add(fresh);
            groups = next.Where(g => g.Count > 0).ToList();
        }

        return groups;
    }
}
