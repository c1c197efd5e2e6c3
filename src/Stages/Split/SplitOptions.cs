namespace Pipelines.Stages.Split;

/// <summary>Options of the <c>split</c> stage. The three ratios must sum to 1.</summary>
public sealed class SplitOptions
{
    /// <summary>Share of rows for training (default 0.8).</summary>
    public double Train { get; set; } = 0.8;

    /// <summary>Share of rows for validation (default 0.1).</summary>
    public double Validation { get; set; } = 0.1;

    /// <summary>Share of rows for testing (default 0.1).</summary>
    public double Test { get; set; } = 0.1;

    /// <summary>Column whose groups keep the same proportions in every part (optional).</summary>
    public string? StratifyBy { get; set; }

    /// <summary>Columns that identify a row; hashing them makes the split stable under row reordering (default: all columns).</summary>
    public List<string>? Key { get; set; }
}
