namespace Pipelines.Core.Caching;

/// <summary>Another run holds the workspace lock.</summary>
public sealed class WorkspaceBusyException : UserInputException
{
    /// <summary>Creates the exception.</summary>
    public WorkspaceBusyException(string message) : base(message) { }
}
