namespace Pipelines.Core.Running;

/// <summary>A resolved input: either another stage's output or an external file/directory of the workspace.</summary>
public sealed record PlannedInput(string Name, StagePort Port, string Reference, string? UpstreamStage, string? UpstreamOutput, string? ExternalPath)
{
    /// <summary>Whether the input is a file or directory outside the pipeline.</summary>
    public bool IsExternal => ExternalPath is not null;
}
