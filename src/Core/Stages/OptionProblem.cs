namespace Pipelines.Core;

/// <summary>One problem with a stage's bound options.</summary>
/// <param name="Option">The top-level <c>with:</c> key at fault (snake_case, as written in YAML), or null when the problem is not one option's.</param>
/// <param name="Message">What is wrong and what was expected, naming the field.</param>
public sealed record OptionProblem(string? Option, string Message);
