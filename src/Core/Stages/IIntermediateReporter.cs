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

    /// <summary>
    /// Whether this trial should log a line the search says once (<c>device</c>: which device trains): true for the
    /// first trial that asks about <paramref name="topic"/>, false for later ones, so a 20-trial search logs it once.
    /// A reporter that does not track this says yes every time.
    /// </summary>
    bool IsFirstToSay(string topic) => true;
}
