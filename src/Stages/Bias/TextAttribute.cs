namespace Pipelines.Stages.Bias;

/// <summary>A text column whose length distribution is reported per group.</summary>
/// <param name="Name">Column name.</param>
/// <param name="Texts">Text per row.</param>
public sealed record TextAttribute(string Name, IReadOnlyList<string?> Texts);
