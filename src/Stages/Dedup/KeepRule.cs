namespace Pipelines.Stages.Dedup;

/// <summary>Which row of a duplicate cluster survives. Ties always go to the earliest row.</summary>
public enum KeepRule
{
    /// <summary>The earliest row.</summary>
    First,

    /// <summary>The row with the longest compared text.</summary>
    Longest,

    /// <summary>The row with the greatest value in the <c>newest_by</c> column (nulls count as oldest).</summary>
    Newest,
}
