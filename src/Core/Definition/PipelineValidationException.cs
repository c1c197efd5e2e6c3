namespace Pipelines.Core.Definition;

/// <summary>The pipeline is invalid; <see cref="Problems"/> lists every problem found (exit code 2).</summary>
public sealed class PipelineValidationException : UserInputException
{
    /// <summary>Creates the exception from all problems found.</summary>
    public PipelineValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(Format(problems)) => Problems = problems;

    /// <summary>Every problem, in file order.</summary>
    public IReadOnlyList<ValidationProblem> Problems { get; }

    private static string Format(IReadOnlyList<ValidationProblem> problems) =>
        problems.Count == 1
            ? $"The pipeline is invalid: {problems[0]}"
            : $"The pipeline is invalid ({problems.Count} problems):" + string.Concat(problems.Select(p => "\n  - " + p));
}
