namespace Pipelines.Synthetic;

/// <summary>
/// <see cref="Determinant"/> determines <see cref="Dependent"/> (<c>education</c> → <c>education_num</c>): each
/// determinant value goes with one dependent value. Kept by modelling the dependent through its determinant: sampled
/// rows get the dependent value of their determinant value, never an independently drawn one.
/// </summary>
public sealed class FunctionalDependency : IDataRule
{
    private readonly IReadOnlyDictionary<string, object?> _valueByDeterminant;

    /// <summary>Learns the mapping (the most frequent dependent value of each determinant value) from <paramref name="real"/>.</summary>
    public FunctionalDependency(ColumnTable real, string determinant, string dependent, bool detected)
    {
        Determinant = determinant;
        Dependent = dependent;
        Detected = detected;
        var keys = RuleKeys.Of(real[determinant]);
        var dependentKeys = RuleKeys.Of(real[dependent]);
        var column = real[dependent];
        var mapping = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var group in Enumerable.Range(0, real.RowCount).GroupBy(i => keys[i], StringComparer.Ordinal))
        {
            // Most frequent dependent value; ties go to the first in row order, so the mapping is deterministic.
            var mode = group.GroupBy(i => dependentKeys[i], StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.First()).First();
            mapping[group.Key] = column.GetValue(mode.First());
            RealViolations += group.Count() - mode.Count();
        }

        _valueByDeterminant = mapping;
        RealRows = real.RowCount;
    }

    /// <inheritdoc />
    public string Type => "functional_dependency";

    /// <summary>The column that decides.</summary>
    public string Determinant { get; }

    /// <summary>The column decided.</summary>
    public string Dependent { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> Columns => [Determinant, Dependent];

    /// <inheritdoc />
    public bool Detected { get; }

    /// <summary>Real rows whose dependent value is not their determinant's usual one.</summary>
    public int RealViolations { get; }

    private int RealRows { get; }

    /// <inheritdoc />
    public string Describe() =>
        $"{Determinant} determines {Dependent} ({_valueByDeterminant.Count} values; holds in {RuleKeys.Share(RealRows - RealViolations, RealRows)})";

    /// <inheritdoc />
    public ColumnTable Derive(ColumnTable sample, long seed)
    {
        var keys = RuleKeys.Of(sample[Determinant]);
        var values = new Dictionary<int, object?>();
        for (int i = 0; i < keys.Length; i++)
        {
            if (_valueByDeterminant.TryGetValue(keys[i], out var value))
            {
                values[i] = value;
            }
        }

        var derived = RuleKeys.With(sample[Dependent], values);
        return new ColumnTable(sample.Columns.Select(c => c.Name == Dependent ? derived : c));
    }

    /// <inheritdoc />
    public bool[] Holds(ColumnTable table)
    {
        var keys = RuleKeys.Of(table[Determinant]);
        var dependent = table[Dependent];
        var dependentKeys = RuleKeys.Of(dependent);
        var expected = _valueByDeterminant.ToDictionary(p => p.Key, p => p.Value is null ? RuleKeys.Null : Key(dependent, p.Value), StringComparer.Ordinal);
        return Enumerable.Range(0, table.RowCount).Select(i => expected.TryGetValue(keys[i], out var e) && e == dependentKeys[i]).ToArray();
    }

    private static string Key(TableColumn like, object value)
    {
        var array = Array.CreateInstance(like.Values.GetType().GetElementType()!, 1);
        array.SetValue(value, 0);
        return RuleKeys.Of(TableColumn.FromArray(like.Name, array))[0];
    }
}
