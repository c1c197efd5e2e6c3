namespace Pipelines.Tuning;

/// <summary>One column of a <see cref="TrialsTable"/>.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Type">Column type.</param>
/// <param name="Values">long?[], double?[], string?[] or DateTime?[] according to <paramref name="Type"/>.</param>
public sealed record TrialsTableColumn(string Name, TrialsColumnType Type, Array Values);
