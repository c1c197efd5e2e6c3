using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Pipelines.Tuning;

/// <summary>
/// An optimisation study: a named sequence of trials in a storage, a sampler that proposes parameters and
/// a pruner that stops poor trials early. Create with <see cref="Create"/> or resume with <see cref="Load"/>.
/// </summary>
public sealed class Study
{
    private volatile bool _stopRequested;

    private Study(StudySummary summary, IStudyStorage storage, ISampler sampler, IPruner pruner, StudyOptions options)
    {
        StudyId = summary.StudyId;
        Name = summary.Name;
        Direction = summary.Direction;
        Storage = storage;
        Sampler = sampler;
        Pruner = pruner;
        Options = options;
    }

    /// <summary>The storage's id of the study.</summary>
    public int StudyId { get; }

    /// <summary>The unique name of the study.</summary>
    public string Name { get; }

    /// <summary>Whether smaller or larger values are better.</summary>
    public StudyDirection Direction { get; }

    /// <summary>Where trials are kept.</summary>
    public IStudyStorage Storage { get; }

    /// <summary>The sampler proposing parameters.</summary>
    public ISampler Sampler { get; }

    /// <summary>The pruner deciding on early stops.</summary>
    public IPruner Pruner { get; }

    /// <summary>Heartbeat options.</summary>
    public StudyOptions Options { get; }

    /// <summary>
    /// Creates a study. Defaults: in-memory storage, a TPE sampler without a seed, no pruning, minimize.
    /// With <paramref name="loadIfExists"/> an existing study of that name is resumed instead of an error.
    /// </summary>
    public static Study Create(
        string name,
        IStudyStorage? storage = null,
        ISampler? sampler = null,
        IPruner? pruner = null,
        StudyDirection direction = StudyDirection.Minimize,
        bool loadIfExists = false,
        StudyOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        storage ??= new InMemoryStorage();
        options ??= new StudyOptions();
        options.Validate();
        if (!Enum.IsDefined(direction))
        {
            throw new ArgumentException($"direction must be minimize or maximize, but got {direction}.", nameof(direction));
        }

        var existing = storage.FindStudy(name);
        if (existing is not null)
        {
            if (!loadIfExists)
            {
                throw new InvalidOperationException($"A study named '{name}' already exists; load it or pass loadIfExists: true.");
            }

            if (existing.Direction != direction)
            {
                throw new InvalidOperationException($"Study '{name}' exists with direction {existing.Direction}, but {direction} was asked for.");
            }

            return Open(existing, storage, sampler, pruner, options);
        }

        int id;
        try
        {
            id = storage.CreateStudy(name, direction);
        }
        catch (InvalidOperationException) when (loadIfExists)
        {
            // Another process created it between our check and our insert.
            return Open(storage.FindStudy(name)!, storage, sampler, pruner, options);
        }

        return new Study(new StudySummary(id, name, direction), storage, sampler ?? new TpeSampler(), pruner ?? new NopPruner(), options);
    }

    /// <summary>
    /// Resumes a stored study. When heartbeats are configured, running trials whose worker stopped
    /// beating are failed first.
    /// </summary>
    public static Study Load(string name, IStudyStorage storage, ISampler? sampler = null, IPruner? pruner = null, StudyOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(storage);
        options ??= new StudyOptions();
        options.Validate();
        var summary = storage.FindStudy(name) ?? throw new InvalidOperationException($"No study named '{name}' in the storage.");
        return Open(summary, storage, sampler, pruner, options);
    }

    private static Study Open(StudySummary summary, IStudyStorage storage, ISampler? sampler, IPruner? pruner, StudyOptions options)
    {
        var study = new Study(summary, storage, sampler ?? new TpeSampler(), pruner ?? new NopPruner(), options);
        study.FailStaleTrials();
        return study;
    }

    /// <summary>All trials, ordered by number.</summary>
    public IReadOnlyList<FrozenTrial> Trials => Storage.GetAllTrials(StudyId);

    /// <summary>The trials in any of the given states (all trials when none are given), ordered by number.</summary>
    public IReadOnlyList<FrozenTrial> GetTrials(params TrialState[] states)
    {
        var all = Storage.GetAllTrials(StudyId);
        if (states is null || states.Length == 0)
        {
            return all;
        }

        var result = new List<FrozenTrial>(all.Count);
        foreach (var t in all)
        {
            if (Array.IndexOf(states, t.State) >= 0)
            {
                result.Add(t);
            }
        }

        return result;
    }

    /// <summary>
    /// The trials a pruner may compare <paramref name="trial"/> with, in any of <paramref name="states"/> (all when
    /// none are given). A trial of a batch (<see cref="OptimizeInBatchesAsync"/>) sees only the trials of earlier
    /// batches and itself: its batch-mates finish in any order, so judging against them would make pruning depend
    /// on timing. Any other trial sees every trial.
    /// </summary>
    public IReadOnlyList<FrozenTrial> PruningHistory(FrozenTrial trial, params TrialState[] states)
    {
        ArgumentNullException.ThrowIfNull(trial);
        var trials = GetTrials(states);
        if (!trial.SystemAttrs.TryGetValue(SystemAttrKeys.BatchStart, out var start) || start.ValueKind != JsonValueKind.Number)
        {
            return trials;
        }

        int horizon = start.GetInt32();
        return trials.Where(t => t.Number < horizon || t.Number == trial.Number).ToList();
    }

    /// <summary>The complete trial with the best value (the lowest number wins ties).</summary>
    public FrozenTrial BestTrial
    {
        get
        {
            FrozenTrial? best = null;
            foreach (var t in Storage.GetAllTrials(StudyId))
            {
                if (t.State != TrialState.Complete || t.Value is not double v || double.IsNaN(v))
                {
                    continue;
                }

                if (best is null || IsBetter(v, best.Value!.Value))
                {
                    best = t;
                }
            }

            return best ?? throw new InvalidOperationException($"Study '{Name}' has no complete trials yet.");
        }
    }

    /// <summary>The best value found.</summary>
    public double BestValue => BestTrial.Value!.Value;

    /// <summary>The parameters of the best trial.</summary>
    public IReadOnlyDictionary<string, object?> BestParams => BestTrial.Params;

    /// <summary>True when <paramref name="a"/> is strictly better than <paramref name="b"/> in this study's direction.</summary>
    public bool IsBetter(double a, double b) => Direction == StudyDirection.Minimize ? a < b : a > b;

    /// <summary>Asks the study to start no new trials in the running optimisation.</summary>
    public void Stop() => _stopRequested = true;

    /// <summary>
    /// Queues a trial whose parameters are fixed (the sampler is skipped for them). Values are as the
    /// objective will see them: numbers, strings, bools or null.
    /// </summary>
    public void EnqueueTrial(IReadOnlyDictionary<string, object?> parameters, IReadOnlyDictionary<string, object?>? userAttrs = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        long id = Storage.CreateTrial(StudyId, TrialState.Waiting, new Dictionary<string, string> { [SystemAttrKeys.FixedParams] = FixedParamsJson(parameters) });
        if (userAttrs is not null)
        {
            foreach (var (k, v) in userAttrs)
            {
                Storage.SetTrialUserAttr(id, k, JsonSerializer.Serialize(v));
            }
        }
    }

    private static string FixedParamsJson(IReadOnlyDictionary<string, object?> parameters)
    {
        var sb = new StringBuilder("{");
        bool first = true;
        foreach (var (name, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            sb.Append(JsonSerializer.Serialize(name)).Append(':').Append(CategoricalDistribution.ChoiceToJson(NormalizeFixed(name, value)));
        }

        sb.Append('}');
        return sb.ToString();
    }

    private static object? NormalizeFixed(string name, object? value) => value switch
    {
        null or bool or long or double or string => value,
        int i => (long)i,
        float f => (double)f,
        decimal m => (double)m,
        short s => (long)s,
        _ => throw new ArgumentException($"Fixed parameter '{name}' must be a number, string, bool or null, but got a {value.GetType().Name}."),
    };

    /// <summary>
    /// Starts a trial (an enqueued one first). With <paramref name="fixedDistributions"/> those parameters
    /// are suggested at once, as Optuna's <c>ask(fixed_distributions)</c>.
    /// </summary>
    public Trial Ask(IReadOnlyDictionary<string, Distribution>? fixedDistributions = null)
    {
        FailStaleTrials();
        long id = Storage.PopWaitingTrial(StudyId) ?? Storage.CreateTrial(StudyId);
        var frozen = Storage.GetTrial(id);
        Sampler.BeforeTrial(this, frozen);
        var space = Sampler.InferRelativeSearchSpace(this, frozen);
        IReadOnlyDictionary<string, double> relative = space.Count == 0
            ? new Dictionary<string, double>()
            : Sampler.SampleRelative(this, frozen, space);
        var trial = new Trial(this, frozen, space, relative);
        if (fixedDistributions is not null)
        {
            foreach (var (name, dist) in fixedDistributions.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                trial.Suggest(name, dist);
            }
        }

        return trial;
    }

    /// <summary>Finishes a trial with its objective value (NaN fails the trial).</summary>
    public FrozenTrial Tell(Trial trial, double value) => Tell(trial, TrialState.Complete, value);

    /// <summary>
    /// Finishes a trial. Complete needs a value; a pruned trial keeps its last intermediate value; a
    /// failed trial may carry a reason.
    /// </summary>
    public FrozenTrial Tell(Trial trial, TrialState state, double? value = null, string? failReason = null)
    {
        ArgumentNullException.ThrowIfNull(trial);
        if (!ReferenceEquals(trial.Study, this))
        {
            throw new ArgumentException($"Trial {trial.Number} belongs to another study.", nameof(trial));
        }

        return Tell(trial.TrialId, state, value, failReason);
    }

    /// <summary>Finishes a trial given by number (for ask/tell across processes).</summary>
    public FrozenTrial Tell(int trialNumber, TrialState state, double? value = null, string? failReason = null)
    {
        var t = Storage.GetAllTrials(StudyId).FirstOrDefault(x => x.Number == trialNumber)
            ?? throw new ArgumentException($"Study '{Name}' has no trial number {trialNumber}.", nameof(trialNumber));
        return Tell(t.TrialId, state, value, failReason);
    }

    private FrozenTrial Tell(long trialId, TrialState state, double? value, string? failReason)
    {
        var frozen = Storage.GetTrial(trialId);
        if (frozen.IsFinished)
        {
            throw new InvalidOperationException($"Trial {frozen.Number} is already finished ({frozen.State}).");
        }

        switch (state)
        {
            case TrialState.Complete:
                if (value is not double v)
                {
                    throw new ArgumentException($"A complete trial needs a value (trial {frozen.Number}).", nameof(value));
                }

                if (double.IsNaN(v))
                {
                    state = TrialState.Fail;
                    value = null;
                    failReason = "The objective returned NaN.";
                }

                break;
            case TrialState.Pruned:
                value = frozen.LastStep is int last ? frozen.IntermediateValues[last] : null;
                if (value is double pv && double.IsNaN(pv))
                {
                    value = null;
                }

                break;
            case TrialState.Fail:
                value = null;
                break;
            default:
                throw new ArgumentException($"A trial can be told complete, pruned or fail, but got {state}.", nameof(state));
        }

        if (state == TrialState.Fail && failReason is not null)
        {
            Storage.SetTrialSystemAttr(trialId, SystemAttrKeys.FailReason, JsonSerializer.Serialize(failReason));
        }

        Sampler.AfterTrial(this, frozen, state, value);
        Storage.SetTrialState(trialId, state, value);
        return Storage.GetTrial(trialId);
    }

    /// <summary>
    /// Runs trials until <paramref name="nTrials"/> have started, <paramref name="timeout"/> has passed,
    /// <see cref="Stop"/> is called or <paramref name="cancellationToken"/> fires. With
    /// <paramref name="nJobs"/> &gt; 1 trials run in parallel on the thread pool. A trial whose objective
    /// throws is recorded as failed with the exception message and the study goes on; a
    /// <see cref="TrialPrunedException"/> records a pruned trial. Each of <paramref name="callbacks"/> is called
    /// with the finished trial after it is told, as Optuna's <c>callbacks</c> (with <paramref name="nJobs"/> &gt; 1
    /// from several threads at once).
    /// </summary>
    public async Task OptimizeAsync(
        Func<Trial, CancellationToken, Task<double>> objective,
        int? nTrials = null,
        TimeSpan? timeout = null,
        int nJobs = 1,
        CancellationToken cancellationToken = default,
        IReadOnlyList<Action<Study, FrozenTrial>>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        if (nTrials is int n && n < 1)
        {
            throw new ArgumentException($"n_trials must be at least 1, but got {n}.", nameof(nTrials));
        }

        if (timeout is TimeSpan to && to <= TimeSpan.Zero)
        {
            throw new ArgumentException($"timeout must be positive, but got {to}.", nameof(timeout));
        }

        if (nJobs < 1)
        {
            throw new ArgumentException($"n_jobs must be at least 1, but got {nJobs}.", nameof(nJobs));
        }

        _stopRequested = false;
        var clock = Stopwatch.StartNew();
        int started = 0;

        async Task Worker()
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_stopRequested || (timeout is TimeSpan t && clock.Elapsed >= t))
                {
                    return;
                }

                if (nTrials is int max && Interlocked.Increment(ref started) > max)
                {
                    return;
                }

                await RunTrialAsync(objective, callbacks ?? [], cancellationToken).ConfigureAwait(false);
            }
        }

        if (nJobs == 1)
        {
            await Worker().ConfigureAwait(false);
            return;
        }

        var workers = new Task[nJobs];
        for (int i = 0; i < nJobs; i++)
        {
            workers[i] = Task.Run(Worker, cancellationToken);
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="nTrials"/> trials in batches of <paramref name="batchSize"/>, Optuna's ask-and-tell batch
    /// recipe made deterministic: each batch is asked in order and <paramref name="suggest"/> draws every trial's
    /// parameters before any of them runs, so a trial sees the trials of earlier batches (all finished) and its
    /// batch-mates before it (running: TPE's constant liar); then the batch runs concurrently and the next one waits
    /// for all of it. The same seed thus gives the same trials whatever finishes first, and pruners judge a trial
    /// only against earlier batches (<see cref="PruningHistory"/>). <paramref name="timeout"/> and
    /// <see cref="Stop"/> are checked between batches.
    /// </summary>
    public async Task OptimizeInBatchesAsync(
        Func<Trial, CancellationToken, Task<double>> objective,
        Action<Trial> suggest,
        int nTrials,
        int batchSize,
        TimeSpan? timeout = null,
        CancellationToken cancellationToken = default,
        IReadOnlyList<Action<Study, FrozenTrial>>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(suggest);
        if (nTrials < 1)
        {
            throw new ArgumentException($"n_trials must be at least 1, but got {nTrials}.", nameof(nTrials));
        }

        if (batchSize < 1)
        {
            throw new ArgumentException($"n_jobs must be at least 1, but got {batchSize}.", nameof(batchSize));
        }

        _stopRequested = false;
        var clock = Stopwatch.StartNew();
        for (int done = 0; done < nTrials;)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_stopRequested || (timeout is TimeSpan t && clock.Elapsed >= t))
            {
                return;
            }

            var batch = new List<Trial>(batchSize);
            int? horizon = null;
            for (int i = 0; i < Math.Min(batchSize, nTrials - done); i++)
            {
                var trial = Ask();
                horizon ??= trial.Number;
                Storage.SetTrialSystemAttr(trial.TrialId, SystemAttrKeys.BatchStart, horizon.Value.ToString(CultureInfo.InvariantCulture));
                suggest(trial);
                batch.Add(trial);
            }

            var active = callbacks ?? [];
            await Task.WhenAll(batch.Select(trial => Task.Run(() => RunAskedTrialAsync(trial, objective, active, cancellationToken), cancellationToken))).ConfigureAwait(false);
            done += batch.Count;
        }
    }

    /// <summary>Synchronous-objective convenience over <see cref="OptimizeAsync(Func{Trial, CancellationToken, Task{double}}, int?, TimeSpan?, int, CancellationToken, IReadOnlyList{Action{Study, FrozenTrial}})"/>.</summary>
    public Task OptimizeAsync(Func<Trial, double> objective, int? nTrials = null, TimeSpan? timeout = null, int nJobs = 1, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return OptimizeAsync((t, _) => Task.FromResult(objective(t)), nTrials, timeout, nJobs, cancellationToken);
    }

    private async Task RunTrialAsync(Func<Trial, CancellationToken, Task<double>> objective, IReadOnlyList<Action<Study, FrozenTrial>> callbacks, CancellationToken ct)
    {
        await RunAskedTrialAsync(Ask(), objective, callbacks, ct).ConfigureAwait(false);
    }

    private async Task RunAskedTrialAsync(Trial trial, Func<Trial, CancellationToken, Task<double>> objective, IReadOnlyList<Action<Study, FrozenTrial>> callbacks, CancellationToken ct)
    {
        try
        {
            await RunAndTellAsync(trial, objective, ct).ConfigureAwait(false);
        }
        finally
        {
            if (callbacks.Count > 0 && Storage.GetTrial(trial.TrialId) is { IsFinished: true } finished)
            {
                foreach (var callback in callbacks)
                {
                    callback(this, finished);
                }
            }
        }
    }

    private async Task RunAndTellAsync(Trial trial, Func<Trial, CancellationToken, Task<double>> objective, CancellationToken ct)
    {
        using var heartbeat = StartHeartbeat(trial.TrialId);
        double value;
        try
        {
            value = await objective(trial, ct).ConfigureAwait(false);
        }
        catch (TrialPrunedException)
        {
            TellUnlessFinished(trial, TrialState.Pruned, null, null);
            return;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            TellUnlessFinished(trial, TrialState.Fail, null, "The optimisation was cancelled while the trial ran.");
            throw;
        }
        catch (Exception ex)
        {
            TellUnlessFinished(trial, TrialState.Fail, null, $"{ex.GetType().Name}: {ex.Message}");
            return;
        }

        TellUnlessFinished(trial, TrialState.Complete, value, null);
    }

    /// <summary>
    /// Tells the result unless the trial was finished meanwhile (another worker failed it after its heartbeat
    /// expired): then the stored outcome stands, as in Optuna.
    /// </summary>
    private void TellUnlessFinished(Trial trial, TrialState state, double? value, string? failReason)
    {
        try
        {
            Tell(trial, state, value, failReason);
        }
        catch (InvalidOperationException) when (Storage.GetTrial(trial.TrialId).IsFinished)
        {
        }
    }

    private Timer? StartHeartbeat(long trialId)
    {
        if (Options.HeartbeatInterval is not TimeSpan interval)
        {
            return null;
        }

        Storage.RecordHeartbeat(trialId);
        return new Timer(
            _ =>
            {
                try
                {
                    Storage.RecordHeartbeat(trialId);
                }
                catch (Exception ex) when (ex is InvalidOperationException or KeyNotFoundException)
                {
                    // The trial finished between ticks; the next Dispose stops the timer.
                }
            },
            null,
            interval,
            interval);
    }

    /// <summary>
    /// Fails running trials whose heartbeat expired (only when heartbeats are configured) and, with
    /// <see cref="StudyOptions.RetryStaleTrials"/>, enqueues each one's parameters again.
    /// </summary>
    public IReadOnlyList<long> FailStaleTrials()
    {
        if (Options.EffectiveGracePeriod is not TimeSpan grace)
        {
            return [];
        }

        var failed = Storage.FailStaleTrials(StudyId, grace);
        if (Options.RetryStaleTrials)
        {
            // The storage fails each stale trial in exactly one call, so exactly one retry is enqueued for it.
            foreach (long id in failed)
            {
                var dead = Storage.GetTrial(id);
                Storage.CreateTrial(StudyId, TrialState.Waiting, new Dictionary<string, string>
                {
                    [SystemAttrKeys.FixedParams] = FixedParamsJson(dead.Params),
                    [SystemAttrKeys.RetriedFrom] = dead.Number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            }
        }

        return failed;
    }
}
