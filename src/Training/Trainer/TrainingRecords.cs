namespace Pipelines.Training;

/// <summary>One optimiser step: mean training loss over its micro-batches and the learning rate used.</summary>
public readonly record struct TrainingStep(int Step, double Loss, double LearningRate, long Tokens);

/// <summary>One evaluation on the validation set.</summary>
public readonly record struct EvaluationPoint(int Step, double Loss, double? Accuracy);
