namespace Pipelines.Core.Slurm;

/// <summary>A Slurm job that ended without an answer (failed, cancelled, timed out, lost); the message carries the tail of its stderr.</summary>
public sealed class SlurmJobFailedException : Exception
{
    /// <summary>Creates the exception with the whole message the user sees.</summary>
    public SlurmJobFailedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public SlurmJobFailedException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>For serialisers and analyzers.</summary>
    public SlurmJobFailedException() : base("The Slurm job failed.")
    {
    }
}
