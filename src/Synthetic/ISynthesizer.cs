namespace Pipelines.Synthetic;

/// <summary>
/// A tabular synthesizer: learns a table's distribution and draws new rows from it.
/// Same fitted model + same seed ⇒ bit-identical samples, whatever the thread count.
/// </summary>
public interface ISynthesizer
{
    /// <summary>Method name as used in pipelines (<c>copula</c>, <c>tvae</c>).</summary>
    string Method { get; }

    /// <summary>Whether <see cref="Fit"/> has run (or the model was loaded).</summary>
    bool IsFitted { get; }

    /// <summary>Learns the distribution of <paramref name="table"/>.</summary>
    /// <exception cref="ArgumentException">The table is empty or has a column the model cannot learn (e.g. all null).</exception>
    void Fit(ColumnTable table, long seed);

    /// <summary>Draws <paramref name="rows"/> rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is not positive.</exception>
    ColumnTable Sample(int rows, long seed);

    /// <summary>Draws <paramref name="rows"/> rows that all satisfy every condition (column = value).</summary>
    /// <exception cref="ArgumentException">A condition names an unknown column or a value the model never produces.</exception>
    /// <exception cref="InvalidOperationException">The sampling budget ran out before enough rows matched.</exception>
    ColumnTable Sample(int rows, long seed, IReadOnlyList<ColumnCondition> conditions);

    /// <summary>Writes the fitted model into <paramref name="directory"/> (created if missing).</summary>
    void Save(string directory);
}
