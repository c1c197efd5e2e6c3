namespace Pipelines.Stages.Validate;

/// <summary>Limits of the <c>validate</c> report.</summary>
internal static class ValidateConstants
{
    /// <summary>Violation groups shown in the report (largest first); report.json lists them all.</summary>
    public const int GroupsShown = 200;

    /// <summary>Distinct values counted per column for the profile: a wide table of free text must not hold every cell.</summary>
    public const int MaxDistinctTracked = 10_000;

    /// <summary>Most common values shown per text column.</summary>
    public const int MostCommonShown = 5;
}
