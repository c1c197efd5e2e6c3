namespace Pipelines.Synthetic;

/// <summary>Serialised form of one column model of the Gaussian copula (<c>copula.json</c>).</summary>
internal sealed class CopulaColumnDocument
{
    public string Name { get; set; } = "";

    public ColumnStorage Storage { get; set; }

    /// <summary>Numeric columns: share of nulls, drawn independently. Categorical columns keep null as a category.</summary>
    public double NullRate { get; set; }

    public MarginalFamily Family { get; set; }

    public double[] Parameters { get; set; } = [];

    public double Ks { get; set; }

    public double Min { get; set; }

    public double Max { get; set; }

    /// <summary>Decimal places kept (0 for integers); -1 keeps full precision.</summary>
    public int Decimals { get; set; } = -1;

    /// <summary>Timestamps: rounding step in ticks (1 day, 1 s, 1 ms or 1 tick).</summary>
    public long StepTicks { get; set; } = 1;

    /// <summary>Categorical columns: labels by decreasing frequency (null is a label).</summary>
    public string?[]? Categories { get; set; }

    public double[]? Frequencies { get; set; }
}
