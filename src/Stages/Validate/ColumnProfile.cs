namespace Pipelines.Stages.Validate;

/// <summary>
/// What one column holds: its type, nulls, distinct values (a lower bound when <paramref name="DistinctCapped"/>),
/// the range of numbers and timestamps, and the most common values of text.
/// </summary>
internal sealed record ColumnProfile(
    string Column, string Type, long Nulls, long Distinct, bool DistinctCapped, object? Min, object? Max,
    IReadOnlyList<(string Value, long Count)> MostCommon);
