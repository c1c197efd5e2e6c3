namespace Pipelines.Core.Remotes;

/// <summary>A blob downloaded from a remote does not have the bytes its name says; it was not imported.</summary>
public sealed class RemoteIntegrityException(string message) : Exception(message);
