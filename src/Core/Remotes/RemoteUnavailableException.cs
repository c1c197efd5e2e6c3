namespace Pipelines.Core.Remotes;

/// <summary>The remote could not be reached or refused a request (network, credentials, permissions): the environment, not the data, is at fault.</summary>
public sealed class RemoteUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
