using Pipelines.Tuning;

namespace Pipelines.Stages.Tune;

/// <summary>Defaults of the <c>tune</c> stage that are not options.</summary>
internal static class TuneConstants
{
    /// <summary>The option naming a shared study storage; where it is kept, not what the search computes.</summary>
    public const string StorageOption = "storage";

    /// <summary>
    /// A study shared by several drivers: each running trial beats every 30 s; one silent for 2 minutes (its driver was
    /// killed or lost its machine) is failed and enqueued again by the next driver that starts a trial.
    /// </summary>
    public static readonly StudyOptions SharedStudy = new()
    {
        HeartbeatInterval = TimeSpan.FromSeconds(30),
        GracePeriod = TimeSpan.FromMinutes(2),
        RetryStaleTrials = true,
    };
}
