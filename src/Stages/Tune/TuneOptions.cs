using System.Text.Json.Nodes;
using Pipelines.Tuning;

namespace Pipelines.Stages.Tune;

/// <summary>Options of the <c>tune</c> stage.</summary>
public sealed class TuneOptions
{
    /// <summary>The stage kind each trial runs (usually <c>train</c>).</summary>
    public required string Objective { get; set; }

    /// <summary>The key of the objective stage's summary used as the trial value (e.g. <c>val_loss</c>).</summary>
    public required string Metric { get; set; }

    /// <summary>Whether smaller (default) or larger metric values are better.</summary>
    public StudyDirection Direction { get; set; } = StudyDirection.Minimize;

    /// <summary>Parameters to search: <c>lr: {float: [1e-5, 1e-2], log: true}</c>, <c>rank: {categorical: [4, 8, 16]}</c>.</summary>
    public required JsonObject SearchSpace { get; set; }

    /// <summary>Options given to the objective in every trial; searched parameters override them.</summary>
    public JsonObject Fixed { get; set; } = new();

    /// <summary>Trials to run (default 20).</summary>
    public int NTrials { get; set; } = 20;

    /// <summary>Start no new trial after this many seconds (default: no limit).</summary>
    public double? Timeout { get; set; }

    /// <summary>Trials in flight at once, suggested in fixed batches of this size (TPE then lies about the batch's running trials).</summary>
    public int NJobs { get; set; } = 1;

    /// <summary>Sampler: a name (<c>tpe</c> default, <c>gp</c>, <c>random</c>, <c>grid</c>) or a map with <c>type</c> and options.</summary>
    public JsonNode? Sampler { get; set; }

    /// <summary>Pruner: <c>none</c> (default), <c>median</c>, <c>percentile</c>, <c>successive_halving</c>, <c>hyperband</c>, or a map.</summary>
    public JsonNode? Pruner { get; set; }

    /// <summary>
    /// Where the study lives while it runs. Default null: a SQLite file in the stage's scratch directory. A
    /// <c>postgresql://user@host:port/database</c> URL: a study that tune drivers on several machines share (loaded when
    /// it exists, heartbeats on, a dead driver's trials failed and retried). Not part of the fingerprint.
    /// </summary>
    public string? Storage { get; set; }

    /// <summary>Name of the study inside the <c>study</c> output (default: the stage id).</summary>
    public string? StudyName { get; set; }
}
