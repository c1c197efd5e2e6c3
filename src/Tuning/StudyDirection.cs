namespace Pipelines.Tuning;

/// <summary>Whether a study looks for the smallest or the largest objective value.</summary>
public enum StudyDirection
{
    /// <summary>Smaller values are better.</summary>
    Minimize = 0,

    /// <summary>Larger values are better.</summary>
    Maximize = 1,
}
