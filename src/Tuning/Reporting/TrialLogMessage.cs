using System.Text;
using Pipelines.Tuning.Internal;

namespace Pipelines.Tuning;

/// <summary>
/// The line Optuna logs when a trial finishes: "Trial 3 finished with value 0.412 and parameters {'lr': 0.001}.
/// Best is trial 1 with value 0.398.", "Trial 4 pruned." or "Trial 5 failed with parameters {...} because of the
/// following error: ...". Values have six significant digits.
/// </summary>
public static class TrialLogMessage
{
    /// <summary>The line for <paramref name="trial"/>, naming the best trial of <paramref name="study"/> when it completed.</summary>
    public static string For(Study study, FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(trial);
        FrozenTrial? best = study.GetTrials(TrialState.Complete).Count > 0 ? study.BestTrial : null;
        return For(trial, best);
    }

    /// <summary>The line for <paramref name="trial"/> given the best complete trial so far (null when none).</summary>
    public static string For(FrozenTrial trial, FrozenTrial? best)
    {
        ArgumentNullException.ThrowIfNull(trial);
        string number = Invariant.Format(trial.Number);
        return trial.State switch
        {
            TrialState.Complete when best is not null =>
                $"Trial {number} finished with value {ValueText(trial.Value)} and parameters {Parameters(trial)}. Best is trial {Invariant.Format(best.Number)} with value {ValueText(best.Value)}.",
            TrialState.Complete => $"Trial {number} finished with value {ValueText(trial.Value)} and parameters {Parameters(trial)}.",
            TrialState.Pruned => $"Trial {number} pruned.",
            TrialState.Fail => $"Trial {number} failed with parameters {Parameters(trial)} because of the following error: {trial.FailReason ?? "unknown"}",
            _ => $"Trial {number} is {TrialsTable.StateName(trial.State)}.",
        };
    }

    /// <summary>Parameters as Optuna prints them, a Python dict, sorted by name so every storage gives the same line: <c>{'act': 'relu', 'lr': 0.001}</c>.</summary>
    public static string Parameters(FrozenTrial trial)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var sb = new StringBuilder("{");
        foreach (var (name, value) in trial.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (sb.Length > 1)
            {
                sb.Append(", ");
            }

            sb.Append('\'').Append(name).Append("': ").Append(value switch
            {
                string s => "'" + s + "'",
                bool b => b ? "True" : "False",
                null => "None",
                _ => Invariant.Short(value),
            });
        }

        return sb.Append('}').ToString();
    }

    private static string ValueText(double? value) => value is double v ? Invariant.Short(v) : "None";
}
