namespace Pipelines.Core.Schemas;

/// <summary>One broken rule: the row (-1 for table-level rules), column, rule, offending value and a message.</summary>
public sealed record SchemaViolation(long Row, string Column, string Rule, string? Value, string Message);
