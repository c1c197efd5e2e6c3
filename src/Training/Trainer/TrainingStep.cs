namespace Pipelines.Training;

/// <summary>One optimiser step of <paramref name="TotalSteps"/>: mean training loss over its micro-batches, the learning rate used and the real tokens seen.</summary>
public readonly record struct TrainingStep(int Step, double Loss, double LearningRate, long Tokens, int TotalSteps);
