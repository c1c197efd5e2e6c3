namespace Pipelines.Tuning;

/// <summary>Options of a study that are not stored with it.</summary>
public sealed record StudyOptions
{
    /// <summary>
    /// How often a running trial records a heartbeat in the storage during <see cref="Study.OptimizeAsync(Func{Trial, CancellationToken, Task{double}}, int?, TimeSpan?, int, CancellationToken, IReadOnlyList{Action{Study, FrozenTrial}})"/>.
    /// Default null: no heartbeats (stale trials are then never failed automatically).
    /// </summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    /// <summary>
    /// How long a running trial may go without a heartbeat before it is failed when a study is loaded or a
    /// trial starts. Default null: twice <see cref="HeartbeatInterval"/>.
    /// </summary>
    public TimeSpan? GracePeriod { get; init; }

    /// <summary>
    /// Whether a trial failed for missing heartbeats is enqueued again with the parameters it had (Optuna's
    /// <c>RetryFailedTrialCallback</c>); the retry's system attribute <c>retried_from</c> is the failed trial's
    /// number. Default false.
    /// </summary>
    public bool RetryStaleTrials { get; init; }

    internal TimeSpan? EffectiveGracePeriod => GracePeriod ?? (HeartbeatInterval * 2);

    internal void Validate()
    {
        if (HeartbeatInterval is TimeSpan h && h <= TimeSpan.Zero)
        {
            throw new ArgumentException($"heartbeat_interval must be positive, but got {h}.");
        }

        if (GracePeriod is TimeSpan g && g <= TimeSpan.Zero)
        {
            throw new ArgumentException($"grace_period must be positive, but got {g}.");
        }
    }
}
