namespace Pipelines.Core.Remotes;

/// <summary>One output of a locked stage and where it is.</summary>
public sealed record RemoteOutputStatus(string Pipeline, string StageId, string Output, string Hash, string Path, RemoteState State);
