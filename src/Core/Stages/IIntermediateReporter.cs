namespace Pipelines.Core;

/// <summary>
/// Receives intermediate objective values from a stage running as a tuning trial, and says whether
/// the trial should stop early (pruning). Null in ordinary runs.
/// </summary>
public interface IIntermediateReporter
{
    /// <summary>Records the objective value reached at <paramref name="step"/>.</summary>
    void Report(double value, int step);

    /// <summary>Whether the trial should stop now. A stage that stops throws <see cref="TrialPrunedException"/>.</summary>
    bool ShouldPrune();
}
