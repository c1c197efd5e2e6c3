namespace Pipelines.Tuning;

/// <summary>
/// Where studies and trials live. The primitives follow Optuna's storage semantics; everything else
/// (best trial, filtering) is built on top of them in <see cref="Study"/>.
/// </summary>
/// <remarks>
/// Thread-safety contract: every member may be called concurrently from any number of threads, and each
/// call is atomic (a reader never sees half of a write). Trial numbers are allocated atomically: no two
/// trials of one study ever share a number and numbers have no gaps. A finished trial
/// (complete, pruned, failed) never changes again. Implementations that persist to a shared database
/// (<see cref="SqliteStorage"/>) give the same guarantees across processes.
/// </remarks>
public interface IStudyStorage
{
    /// <summary>Creates a study; throws <see cref="InvalidOperationException"/> when the name is taken.</summary>
    int CreateStudy(string name, StudyDirection direction);

    /// <summary>The study with this name, or null.</summary>
    StudySummary? FindStudy(string name);

    /// <summary>All studies, ordered by id.</summary>
    IReadOnlyList<StudySummary> GetAllStudies();

    /// <summary>Deletes a study and its trials.</summary>
    void DeleteStudy(int studyId);

    /// <summary>
    /// Creates a trial with the next free number, either <see cref="TrialState.Running"/> (start time set)
    /// or <see cref="TrialState.Waiting"/> (enqueued), with optional system attributes (JSON texts).
    /// </summary>
    long CreateTrial(int studyId, TrialState state = TrialState.Running, IReadOnlyDictionary<string, string>? systemAttrs = null);

    /// <summary>Atomically moves the lowest-numbered waiting trial to running and returns its id, or null when none waits.</summary>
    long? PopWaitingTrial(int studyId);

    /// <summary>Records a parameter of a running trial (internal representation).</summary>
    void SetTrialParam(long trialId, string name, double internalValue, Distribution distribution);

    /// <summary>
    /// Finishes a running trial with a state and value (sets the completion time). Throws
    /// <see cref="InvalidOperationException"/> when the trial is already finished.
    /// </summary>
    void SetTrialState(long trialId, TrialState state, double? value);

    /// <summary>Records an intermediate value; returns false (and keeps the first value) when the step was already reported.</summary>
    bool SetTrialIntermediateValue(long trialId, int step, double value);

    /// <summary>Sets a user attribute (a JSON text).</summary>
    void SetTrialUserAttr(long trialId, string key, string json);

    /// <summary>Sets a system attribute (a JSON text).</summary>
    void SetTrialSystemAttr(long trialId, string key, string json);

    /// <summary>A snapshot of one trial; throws <see cref="KeyNotFoundException"/> for an unknown id.</summary>
    FrozenTrial GetTrial(long trialId);

    /// <summary>Snapshots of all trials of a study, ordered by number.</summary>
    IReadOnlyList<FrozenTrial> GetAllTrials(int studyId);

    /// <summary>Records that the worker running this trial is alive (now).</summary>
    void RecordHeartbeat(long trialId);

    /// <summary>
    /// Fails every running trial whose last heartbeat is older than <paramref name="gracePeriod"/>
    /// (trials that never sent one are left alone) and returns the ids this call failed.
    /// </summary>
    IReadOnlyList<long> FailStaleTrials(int studyId, TimeSpan gracePeriod);
}
