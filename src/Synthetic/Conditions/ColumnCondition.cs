namespace Pipelines.Synthetic;

/// <summary>
/// A sampling condition: every sampled row has <see cref="Value"/> in <see cref="Column"/>.
/// The value may be given as the column's own type or as an invariant-culture string.
/// </summary>
public sealed record ColumnCondition(string Column, object Value);
