namespace Pipelines.Tuning;

/// <summary>A study as a storage lists it.</summary>
/// <param name="StudyId">The storage's id of the study.</param>
/// <param name="Name">The unique study name.</param>
/// <param name="Direction">Whether the study minimizes or maximizes.</param>
public sealed record StudySummary(int StudyId, string Name, StudyDirection Direction);
