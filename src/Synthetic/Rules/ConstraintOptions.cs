namespace Pipelines.Synthetic;

/// <summary>A declared relation (<c>constraints:</c> in YAML), kept in every synthetic row whether or not detection finds it.</summary>
public sealed class ConstraintOptions
{
    /// <summary><c>functional_dependency</c>, <c>fixed_combinations</c> or <c>inequality</c>.</summary>
    public string Type { get; set; } = "";

    /// <summary>functional_dependency: the column that decides.</summary>
    public string? Determinant { get; set; }

    /// <summary>functional_dependency: the column decided.</summary>
    public string? Dependent { get; set; }

    /// <summary>fixed_combinations: the two columns whose combinations are fixed to the real ones.</summary>
    public List<string>? Columns { get; set; }

    /// <summary>inequality: the column never larger.</summary>
    public string? Low { get; set; }

    /// <summary>inequality: the column never smaller.</summary>
    public string? High { get; set; }

    /// <summary>The rule on <paramref name="real"/>; throws <see cref="ArgumentException"/> for an unknown column.</summary>
    public IDataRule ToRule(ColumnTable real)
    {
        ArgumentNullException.ThrowIfNull(real);
        foreach (var column in new[] { Determinant, Dependent, Low, High }.Concat(Columns ?? []).OfType<string>())
        {
            if (real.IndexOf(column) < 0)
            {
                throw new ArgumentException($"'constraints' ({Type}) names unknown column '{column}'. The table has: {string.Join(", ", real.Columns.Select(c => c.Name))}.");
            }
        }

        return Type switch
        {
            "functional_dependency" => new FunctionalDependency(real, Determinant!, Dependent!, detected: false),
            "fixed_combinations" => FixedCombinations.Declare(real, Columns![0], Columns[1]),
            _ => Declared(real, Low!, High!),
        };
    }

    private static Inequality Declared(ColumnTable real, string low, string high)
    {
        if (!ColumnValues.IsNumeric(real[low]) || !ColumnValues.IsNumeric(real[high]))
        {
            throw new ArgumentException($"'constraints' (inequality) needs numeric or timestamp columns; '{low}' and '{high}' are {real[low].Kind} and {real[high].Kind}.");
        }

        var rule = new Inequality(low, high, 0, real.RowCount, detected: false);
        int broken = rule.Holds(real).Count(h => !h);
        return new Inequality(low, high, broken, real.RowCount, detected: false);
    }
}
