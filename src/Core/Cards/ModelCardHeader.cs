namespace Pipelines.Core.Cards;

/// <summary>
/// What a Hugging Face model card's YAML front matter says: licence, base model, datasets and the evaluation results
/// as a <c>model-index</c>.
/// </summary>
public sealed record ModelCardHeader
{
    /// <summary>The licence (the base model's when it is known, else <c>other</c>).</summary>
    public string License { get; init; } = "other";

    /// <summary>The base model's Hub id, or null when the base was trained here or is a local directory.</summary>
    public string? BaseModel { get; init; }

    /// <summary>The names of the source files the training data came from.</summary>
    public IReadOnlyList<string> Datasets { get; init; } = [];

    /// <summary>The task as the Hub names it (<c>text-classification</c>, <c>text-generation</c>).</summary>
    public string TaskType { get; init; } = "text-classification";

    /// <summary>What the results were measured on (<c>test_text.table, 3,254 rows</c>).</summary>
    public string? EvaluationDataset { get; init; }

    /// <summary>The evaluation results: Hub metric type, display name and value.</summary>
    public IReadOnlyList<(string Type, string Name, double Value)> Results { get; init; } = [];
}
