namespace Pipelines.Core;

/// <summary>Progress of a running stage: <paramref name="Done"/> of <paramref name="Total"/> units (Total 0 when unknown).</summary>
public readonly record struct StageProgress(double Done, double Total, string? Message = null);
