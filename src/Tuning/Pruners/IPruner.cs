namespace Pipelines.Tuning;

/// <summary>Decides from a trial's intermediate values whether to stop it early.</summary>
public interface IPruner
{
    /// <summary>True when <paramref name="trial"/> should be stopped now.</summary>
    bool ShouldPrune(Study study, FrozenTrial trial);
}
