namespace Pipelines.Stages.Bias;

/// <summary>The columns a bias analysis reads, as plain per-row arrays of equal length.</summary>
public sealed class BiasData
{
    /// <summary>Label per row (null: missing, excluded from label metrics).</summary>
    public required IReadOnlyList<string?> Labels { get; init; }

    /// <summary>Sensitive attributes.</summary>
    public required IReadOnlyList<SensitiveAttribute> Attributes { get; init; }

    /// <summary>A model's predicted label per row, when auditing predictions.</summary>
    public IReadOnlyList<string?>? Predictions { get; init; }

    /// <summary><c>_source</c> per row (<c>real</c>/<c>synthetic</c>); when present, metrics are also given for real rows.</summary>
    public IReadOnlyList<string?>? Source { get; init; }

    /// <summary>Text columns for length distributions.</summary>
    public IReadOnlyList<TextAttribute> TextColumns { get; init; } = [];
}
