namespace Pipelines.Synthetic;

/// <summary><c>balance:</c> in the <c>synthesize</c> stage: grow every group of a column to a target size.</summary>
public sealed class BalanceOptions
{
    /// <summary>The column whose groups are balanced. Required.</summary>
    public string Column { get; set; } = "";

    /// <summary>Target row count per group (groups not named keep their size). Default: every group reaches the largest group's count.</summary>
    public Dictionary<string, int>? Targets { get; set; }
}
