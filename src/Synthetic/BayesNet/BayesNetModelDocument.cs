namespace Pipelines.Synthetic;

/// <summary><c>bayesnet.json</c>: the fitted network (snake_case JSON).</summary>
internal sealed class BayesNetModelDocument
{
    public int Degree { get; set; }

    public int TrainingRows { get; set; }

    public List<BayesNetColumnDocument> Columns { get; set; } = [];

    /// <summary>Column indexes in sampling order.</summary>
    public List<int> Order { get; set; } = [];

    /// <summary>Per column (by index): its parents' indexes.</summary>
    public List<List<int>> Parents { get; set; } = [];

    /// <summary>Per column (by index): its conditional tables, the full one first, then the back-offs.</summary>
    public List<List<BayesNetTableDocument>> Tables { get; set; } = [];
}

/// <summary>One column's codes and value pools.</summary>
internal sealed class BayesNetColumnDocument
{
    public string Name { get; set; } = "";

    public string Storage { get; set; } = "";

    public List<string?> Labels { get; set; } = [];

    public List<double> UpperBounds { get; set; } = [];

    public List<BayesNetPoolDocument> Pools { get; set; } = [];
}

/// <summary>Values of one code with cumulative weights.</summary>
internal sealed class BayesNetPoolDocument
{
    public List<string?> Values { get; set; } = [];

    public List<long> Cumulative { get; set; } = [];
}

/// <summary>Counts of a column's codes per configuration of the first <see cref="Parents"/> parents.</summary>
internal sealed class BayesNetTableDocument
{
    public int Parents { get; set; }

    public Dictionary<long, List<long>> Cumulative { get; set; } = [];
}
