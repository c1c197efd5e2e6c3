using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>The relations a synthesizer keeps: how sampled rows are made to obey them, and how well a table does.</summary>
public sealed class DataRules
{
    /// <summary>Batches drawn before giving up on rows that obey every rule.</summary>
    public const int MaxBatches = 64;

    /// <summary>Creates the set (rules apply in this order).</summary>
    public DataRules(IReadOnlyList<IDataRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        Rules = rules;
    }

    /// <summary>No rules.</summary>
    public static DataRules None { get; } = new([]);

    /// <summary>The rules.</summary>
    public IReadOnlyList<IDataRule> Rules { get; }

    /// <summary>
    /// Draws <paramref name="rows"/> rows that obey every rule: each batch from <paramref name="sample"/> is rewritten
    /// by the rules that can rewrite, then rows still breaking a rule (or <paramref name="keep"/>) are dropped, until
    /// enough remain.
    /// Deterministic: batches are drawn in order with seeds derived from <paramref name="seed"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">Too few rows obey the rules after <see cref="MaxBatches"/> batches.</exception>
    public ColumnTable Sample(Func<int, long, ColumnTable> sample, int rows, long seed, Func<ColumnTable, bool[]>? keep = null)
    {
        ArgumentNullException.ThrowIfNull(sample);
        if (Rules.Count == 0 && keep is null)
        {
            return sample(rows, seed);
        }

        var parts = new List<ColumnTable>();
        int have = 0, drawn = 0;
        for (int batch = 0; have < rows; batch++)
        {
            if (batch == MaxBatches)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Only {have} of {drawn} sampled rows obey every rule ({string.Join("; ", Rules.Select(r => r.Describe()))}); {rows} were asked for."));
            }

            // Ask for what is missing plus a margin for the rows the rules will reject.
            int ask = (int)Math.Min(int.MaxValue, (rows - have) * 1.25 + 64);
            long batchSeed = batch == 0 ? seed : SeededRandom.Derive(seed, batch);
            var table = Apply(sample(ask, batchSeed), SeededRandom.Derive(batchSeed, -1));
            drawn += table.RowCount;
            var ok = Obeying(table, keep);
            var picked = Enumerable.Range(0, table.RowCount).Where(i => ok[i]).Take(rows - have).ToArray();
            parts.Add(picked.Length == table.RowCount ? table : table.Take(picked));
            have += picked.Length;
        }

        return parts.Count == 1 ? parts[0] : ColumnTable.Concat(parts);
    }

    /// <summary>The table rewritten by every rule that can rewrite, in order.</summary>
    public ColumnTable Apply(ColumnTable table, long seed)
    {
        for (int r = 0; r < Rules.Count; r++)
        {
            table = Rules[r].Derive(table, SeededRandom.Derive(seed, r));
        }

        return table;
    }

    /// <summary>Per rule, the share of rows of <paramref name="table"/> that obey it.</summary>
    public IReadOnlyList<RuleCompliance> Compliance(ColumnTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return Rules.Select(r => new RuleCompliance(r.Type, r.Columns, r.Detected, r.Describe(),
            table.RowCount == 0 ? 1 : r.Holds(table).Count(h => h) / (double)table.RowCount)).ToArray();
    }

    private bool[] Obeying(ColumnTable table, Func<ColumnTable, bool[]>? keep)
    {
        var ok = keep?.Invoke(table) ?? Enumerable.Repeat(true, table.RowCount).ToArray();
        foreach (var rule in Rules)
        {
            var holds = rule.Holds(table);
            for (int i = 0; i < ok.Length; i++)
            {
                ok[i] &= holds[i];
            }
        }

        return ok;
    }
}

/// <summary>How many rows of a table obey one rule.</summary>
/// <param name="Type">The rule's type.</param>
/// <param name="Columns">The columns it relates.</param>
/// <param name="Detected">Found in the data (true) or declared (false).</param>
/// <param name="Description">What the rule says.</param>
/// <param name="Share">Share of rows that obey it, in [0, 1].</param>
public sealed record RuleCompliance(string Type, IReadOnlyList<string> Columns, bool Detected, string Description, double Share);
