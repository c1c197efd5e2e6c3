namespace Pipelines.Core;

/// <summary>Thrown by a stage that stopped because its tuning trial was pruned.</summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception for the step at which the trial was pruned.</summary>
    public TrialPrunedException(int step) : base($"Trial pruned at step {step}.") => Step = step;

    /// <summary>The step at which the trial stopped.</summary>
    public int Step { get; }
}
