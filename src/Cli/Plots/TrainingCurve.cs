namespace Pipelines.Cli.Plots;

/// <summary>One point of a loss curve: the optimiser step and the loss there.</summary>
internal readonly record struct CurvePoint(int Step, double Loss);

/// <summary>A train or pretrain stage's loss per step, as its metrics JSON records it (<c>train_loss</c>, <c>val_curve</c>).</summary>
internal sealed record TrainingCurve(IReadOnlyList<CurvePoint> Train, IReadOnlyList<CurvePoint> Validation);
