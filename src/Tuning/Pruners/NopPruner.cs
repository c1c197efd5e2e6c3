namespace Pipelines.Tuning;

/// <summary>A pruner that never prunes (the default).</summary>
public sealed class NopPruner : IPruner
{
    /// <inheritdoc />
    public bool ShouldPrune(Study study, FrozenTrial trial) => false;
}
