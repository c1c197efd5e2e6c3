namespace Pipelines.Cli.Plots;

/// <summary>One trial of a search: its number, state and value (null unless it completed).</summary>
internal readonly record struct TrialPoint(long Number, string State, double? Value);

/// <summary>A tune stage's trials in number order, read from its trials table.</summary>
internal sealed record SearchTrials(IReadOnlyList<TrialPoint> Trials)
{
    /// <summary>The best value among the completed trials up to each trial (null before the first completes).</summary>
    public IReadOnlyList<double?> BestSoFar(bool higherIsBetter)
    {
        var best = new double?[Trials.Count];
        double? current = null;
        for (int i = 0; i < Trials.Count; i++)
        {
            if (Trials[i].Value is { } v && Trials[i].State == "complete" && (current is not { } c || (higherIsBetter ? v > c : v < c))) current = v;
            best[i] = current;
        }
        return best;
    }
}
