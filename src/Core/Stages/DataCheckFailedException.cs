namespace Pipelines.Core;

/// <summary>
/// A data check failed on purpose (schema violations, a bias threshold): the stage has written its report,
/// the run fails with exit code 1, and the message says which check and by how much.
/// </summary>
public sealed class DataCheckFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataCheckFailedException(string message) : base(message) { }
}
