namespace Pipelines.Training;

/// <summary>Which columns feed a task: text, or prompt + response (causal LM), and the label (classification).</summary>
public sealed record TaskColumns(TrainingTask Task, string TextColumn, string? PromptColumn, string? ResponseColumn, string LabelColumn);
