namespace Pipelines.Synthetic.Text;

/// <summary>Reported after each training step of <see cref="TinyLmTrainer"/>.</summary>
/// <param name="Step">Steps done so far.</param>
/// <param name="TotalSteps">Steps planned.</param>
/// <param name="Loss">Cross-entropy of this step's batch, in nats per token.</param>
public readonly record struct TinyLmProgress(int Step, int TotalSteps, double Loss);
