namespace Pipelines.Training;

/// <summary>What a training run did: the loss curves and key figures.</summary>
public sealed record TrainingResult
{
    /// <summary>Training loss and rate per optimiser step.</summary>
    public required IReadOnlyList<TrainingStep> Steps { get; init; }

    /// <summary>Validation results in order.</summary>
    public required IReadOnlyList<EvaluationPoint> Evaluations { get; init; }

    /// <summary>Lowest validation loss seen (the weights kept), or null without validation data.</summary>
    public double? BestValidationLoss { get; init; }

    /// <summary>Whether early stopping ended the run.</summary>
    public bool StoppedEarly { get; init; }

    /// <summary>Real tokens processed in training.</summary>
    public long Tokens { get; init; }

    /// <summary>Wall-clock seconds of the training loop (evaluation included).</summary>
    public double Seconds { get; init; }

    /// <summary>Training tokens per second.</summary>
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;

    /// <summary>Trainable parameters.</summary>
    public long TrainableParameters { get; init; }

    /// <summary>All parameters.</summary>
    public long TotalParameters { get; init; }

    /// <summary>Peak resident memory of the process in bytes (Linux VmHWM), as seen after training.</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>Step the run resumed from (0 when it started fresh).</summary>
    public int ResumedFromStep { get; init; }
}
