namespace Pipelines.Training;

/// <summary>Linear warm-up from 0 to the peak, then cosine decay to 0 at the last step.</summary>
public static class LearningRateSchedule
{
    /// <summary>The rate for optimiser step <paramref name="step"/> (0-based) of <paramref name="totalSteps"/>.</summary>
    public static double At(int step, int totalSteps, int warmupSteps, double peak)
    {
        if (step < warmupSteps)
        {
            return peak * (step + 1) / warmupSteps;
        }

        var decaySteps = Math.Max(1, totalSteps - warmupSteps);
        var progress = Math.Min(1.0, (double)(step - warmupSteps) / decaySteps);
        return peak * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
