namespace Pipelines.Core.Definition;

/// <summary>
/// What a stage asks of the machine it runs on (<c>resources:</c> in YAML). An execution setting, never part of a
/// fingerprint: a stage run with more memory computes the same outputs. The local executor ignores it; the Slurm
/// executor turns it into <c>sbatch</c> options.
/// </summary>
public sealed record StageResources
{
    /// <summary>The YAML keys, in the order they are documented.</summary>
    public static readonly IReadOnlyList<string> Keys = ["cpus", "mem", "gpus", "time"];

    /// <summary>No requests: the scheduler's defaults.</summary>
    public static readonly StageResources None = new();

    /// <summary>CPU cores (<c>--cpus-per-task</c>); null: the scheduler's default.</summary>
    public int? Cpus { get; init; }

    /// <summary>Memory, in Slurm's notation (<c>4G</c>, <c>500M</c>; <c>--mem</c>); null: the default.</summary>
    public string? Mem { get; init; }

    /// <summary>GPUs (<c>1</c>, <c>a100:2</c>; <c>--gpus</c>); null: none requested.</summary>
    public string? Gpus { get; init; }

    /// <summary>Time limit (<c>30</c>, <c>1:00:00</c>, <c>1-00:00:00</c>; <c>--time</c>); null: the partition's.</summary>
    public string? Time { get; init; }

    /// <summary>Whether nothing is requested.</summary>
    public bool IsEmpty => Cpus is null && Mem is null && Gpus is null && Time is null;
}
