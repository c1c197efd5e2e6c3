namespace Pipelines.Core;

/// <summary>An input artifact handed to a stage: where it lies (read-only) and its content hash.</summary>
public sealed record StageInput(string Name, ArtifactKind Kind, string Path, string Hash);
