namespace Pipelines.Synthetic;

/// <summary>
/// A relation between columns that real rows obey (SDV calls declared ones constraints): a functional dependency,
/// combinations that never occur, an inequality. Synthetic rows are made to obey it too.
/// </summary>
public interface IDataRule
{
    /// <summary><c>functional_dependency</c>, <c>fixed_combinations</c> or <c>inequality</c>.</summary>
    string Type { get; }

    /// <summary>The columns the rule relates.</summary>
    IReadOnlyList<string> Columns { get; }

    /// <summary>Whether the rule was found in the data (true) or declared in <c>constraints:</c> (false).</summary>
    bool Detected { get; }

    /// <summary>One line for people: what holds, and in how many real rows.</summary>
    string Describe();

    /// <summary>
    /// Makes the sampled rows obey the rule where a rewrite can (a dependent column set from its determinant, a
    /// forbidden combination redrawn from the real conditional); returns the table unchanged when the rule can only be
    /// checked. <paramref name="seed"/> drives any redrawing.
    /// </summary>
    ColumnTable Derive(ColumnTable sample, long seed);

    /// <summary>Per row, whether the rule holds.</summary>
    bool[] Holds(ColumnTable table);
}
