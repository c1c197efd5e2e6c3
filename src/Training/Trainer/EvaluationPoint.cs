namespace Pipelines.Training;

/// <summary>One evaluation on the validation set.</summary>
public readonly record struct EvaluationPoint(int Step, double Loss, double? Accuracy);
