namespace Pipelines.Stages.Bias;

/// <summary>A sensitive column's group label for every row (null: missing).</summary>
/// <param name="Name">Column name.</param>
/// <param name="Groups">Group per row.</param>
public sealed record SensitiveAttribute(string Name, IReadOnlyList<string?> Groups);
