namespace Pipelines.Core.Schemas;

/// <summary>
/// Violations sharing a column, a rule and an offending value: how many, and the 0-based rows of the first few
/// (-1 for table-level rules).
/// </summary>
public sealed record ViolationGroup(string Column, string Rule, string? Value, long Count, IReadOnlyList<long> FirstRows);
