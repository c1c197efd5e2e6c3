namespace Pipelines.Stages.Validate;

/// <summary>Options of the <c>validate</c> stage.</summary>
public sealed class ValidateOptions
{
    /// <summary>Fail the stage (exit code 1) when any rule is broken, after writing the report (default true).</summary>
    public bool FailOnViolation { get; set; } = true;
}
