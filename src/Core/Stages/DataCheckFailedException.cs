namespace Pipelines.Core;

/// <summary>
/// A data check failed on purpose (schema violations, a bias threshold): the stage has written its report,
/// the run fails with exit code 1, and the message says which check and by how much.
/// </summary>
public class DataCheckFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DataCheckFailedException(string message) : base(message) { }

    /// <summary>The outputs the stage wrote before failing (its report), stored so the user can read them.</summary>
    public IReadOnlyDictionary<string, Caching.OutputRecord>? Outputs { get; internal set; }
}
