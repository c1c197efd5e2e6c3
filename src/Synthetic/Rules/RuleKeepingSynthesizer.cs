using System.Text.Json;

namespace Pipelines.Synthetic;

/// <summary>
/// A synthesizer whose rows obey <see cref="DataRules"/>: the inner model learns the table, its samples are rewritten
/// by the dependencies and rows breaking a rule are drawn again. Conditions are checked after the rewrite, so a
/// condition on a derived column still holds.
/// </summary>
public sealed class RuleKeepingSynthesizer : ISynthesizer, IDisposable
{
    /// <summary>The file beside the inner model that lists the rules kept.</summary>
    public const string RulesFile = "rules.json";

    private readonly ISynthesizer _inner;
    private readonly DataRules _rules;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    public RuleKeepingSynthesizer(ISynthesizer inner, DataRules rules)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(rules);
        _inner = inner;
        _rules = rules;
    }

    /// <inheritdoc />
    public string Method => _inner.Method;

    /// <inheritdoc />
    public bool IsFitted => _inner.IsFitted;

    /// <inheritdoc />
    public void Fit(ColumnTable table, long seed) => _inner.Fit(table, seed);

    /// <inheritdoc />
    public ColumnTable Sample(int rows, long seed) => Sample(rows, seed, []);

    /// <inheritdoc />
    public ColumnTable Sample(int rows, long seed, IReadOnlyList<ColumnCondition> conditions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentNullException.ThrowIfNull(conditions);
        Func<ColumnTable, bool[]>? keep = conditions.Count == 0 ? null : table => Matching(table, conditions);
        return _rules.Sample((n, s) => _inner.Sample(n, s, conditions), rows, seed, keep);
    }

    /// <inheritdoc />
    public void Save(string directory)
    {
        _inner.Save(directory);
        var listed = _rules.Rules.Select(r => new { type = r.Type, columns = r.Columns, detected = r.Detected, description = r.Describe() });
        File.WriteAllText(Path.Combine(directory, RulesFile), JsonSerializer.Serialize(listed, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <inheritdoc />
    public void Dispose() => (_inner as IDisposable)?.Dispose();

    private static bool[] Matching(ColumnTable table, IReadOnlyList<ColumnCondition> conditions)
    {
        var ok = Enumerable.Repeat(true, table.RowCount).ToArray();
        foreach (var condition in conditions)
        {
            var column = table[condition.Column];
            for (int i = 0; i < ok.Length; i++)
            {
                ok[i] &= Equals(column.GetValue(i), condition.Value);
            }
        }

        return ok;
    }
}
