namespace Pipelines.Core.Slurm;

/// <summary>How the Slurm executor submits jobs. The executor copies these, so later changes do not affect a run in flight.</summary>
public sealed record SlurmOptions
{
    /// <summary>The partition jobs go to (<c>--partition</c>); null: the cluster's default.</summary>
    public string? Partition { get; init; }

    /// <summary>Further <c>sbatch</c> options as name and value (<c>--slurm-opt account=ml</c> → <c>--account=ml</c>); an empty value gives a bare flag.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ExtraOptions { get; init; } = [];

    /// <summary>
    /// The command that starts the <c>pipelines</c> CLI on a node (<c>["/opt/pipelines/pipelines"]</c> or
    /// <c>["dotnet", "pipelines.dll"]</c>); the job appends <c>worker run REQUEST --workspace ROOT</c>. Required.
    /// </summary>
    public required IReadOnlyList<string> WorkerCommand { get; init; }

    /// <summary>The first wait between two looks at a job; default 0.25 s. Waits grow to <see cref="MaxPollInterval"/> while nothing changes.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between two looks at a job; default 2 s.</summary>
    public TimeSpan MaxPollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a job that ended COMPLETED may take to show its answer (a shared filesystem's attribute cache); default 10 s.</summary>
    public TimeSpan AnswerGrace { get; init; } = TimeSpan.FromSeconds(10);
}
