namespace Pipelines.Core.Running;

/// <summary>How a stage's exception is told: bad input (exit 2) or a failure, and whether its stack is worth keeping.</summary>
internal static class StageFailure
{
    /// <summary>Bad user input, as opposed to a failing stage or data check; a data check (DataCheckFailedException) stays exit 1.</summary>
    public static bool IsInputError(Exception ex) => Innermost(ex) is UserInputException or InvalidDataException;

    /// <summary>Failures whose message says all there is: shown as they are, with no stack kept.</summary>
    public static bool IsForeseen(Exception ex) =>
        Innermost(ex) is UserInputException or DataCheckFailedException or InvalidDataException or FileNotFoundException or TrialPrunedException
            or Slurm.SlurmJobFailedException;

    /// <summary>The one line a user sees.</summary>
    public static string Describe(Exception ex) => IsForeseen(ex) ? Innermost(ex).Message : $"{Innermost(ex).GetType().Name}: {Innermost(ex).Message}";

    private static Exception Innermost(Exception ex) => ex is AggregateException { InnerExceptions.Count: 1 } agg ? Innermost(agg.InnerExceptions[0]) : ex;
}
