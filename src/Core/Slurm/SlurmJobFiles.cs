using Pipelines.Core.Caching;

namespace Pipelines.Core.Slurm;

/// <summary>
/// Where one stage run's job lives in the shared workspace: <c>.pipelines/slurm/FINGERPRINT/</c> holds the request,
/// the job script, the job's id, its stdout and stderr, the worker's answer and its scratch space.
/// </summary>
public sealed class SlurmJobFiles
{
    /// <summary>The files of the job for <paramref name="fingerprint"/> in <paramref name="workspace"/>.</summary>
    public SlurmJobFiles(Workspace workspace, string fingerprint)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(fingerprint);
        Fingerprint = fingerprint;
        Directory = Path.Combine(RootOf(workspace), fingerprint);
    }

    /// <summary>The stage fingerprint the job computes.</summary>
    public string Fingerprint { get; }

    /// <summary>The job's directory.</summary>
    public string Directory { get; }

    /// <summary>The serialised request the worker runs.</summary>
    public string Request => Path.Combine(Directory, "request.json");

    /// <summary>The batch script given to <c>sbatch</c>.</summary>
    public string Script => Path.Combine(Directory, "job.sh");

    /// <summary>The id of the job last submitted for this fingerprint, so a restarted driver can adopt it.</summary>
    public string JobId => Path.Combine(Directory, "job");

    /// <summary>The job's stdout (every attempt appends).</summary>
    public string Stdout => Path.Combine(Directory, "stdout.log");

    /// <summary>The job's stderr (every attempt appends); a failed stage reports its tail.</summary>
    public string Stderr => Path.Combine(Directory, "stderr.log");

    /// <summary>The worker's answer (<see cref="SlurmAnswer"/>), written by rename once the outputs are in the store.</summary>
    public string Answer => Path.Combine(Directory, "answer.json");

    /// <summary>The worker's scratch space (not the workspace's tmp, which a starting driver clears).</summary>
    public string Scratch => Path.Combine(Directory, "work");

    /// <summary>The job name: how <c>squeue --name</c> finds the jobs of a fingerprint.</summary>
    public string JobName => "pipelines-" + Fingerprint[..Math.Min(8, Fingerprint.Length)];

    /// <summary>The folder of all jobs in <paramref name="workspace"/>.</summary>
    public static string RootOf(Workspace workspace) => Path.Combine(workspace.StateDirectory, "slurm");

    /// <summary>One line per <c>sbatch</c> call (time, job id, fingerprint, stage): what was submitted, for people and tests.</summary>
    public static string SubmissionLogOf(Workspace workspace) => Path.Combine(RootOf(workspace), "submissions.log");
}
