using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Tasks.Dataflow;
using Pipelines.Core.Caching;

namespace Pipelines.Core.Running;

/// <summary>
/// One execution of a plan: posts each stage once its parents are done, restores it from the run cache or has the
/// executor compute it, and skips the descendants of a failure. Its state lives here so the runner stays reusable.
/// </summary>
internal sealed class PipelineRun
{
    private readonly RunServices _services;
    private readonly PipelinePlan _plan;
    private readonly RunOptions _options;
    private readonly IRunObserver? _observer;
    private readonly CancellationToken _cancellation;
    private readonly ConcurrentDictionary<string, StageOutcome> _outcomes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, OutputRecord>> _outputs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StageRunRequest> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _pendingParents = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ExternalInputState _state;
    private readonly OutputMaterializer _materializer;
    private readonly StageOutputPlacement _placement;
    private readonly IReadOnlyDictionary<string, LockedStage> _previous;
    private readonly string _runId;
    private readonly DateTime _started;
    private ActionBlock<PlannedStage>? _block;
    private int _remaining;

    public PipelineRun(RunServices services, PipelinePlan plan, RunOptions options, OutputMaterializer materializer, IRunObserver? observer, CancellationToken cancellation)
    {
        _services = services;
        _plan = plan;
        _options = options;
        _observer = observer;
        _cancellation = cancellation;
        _materializer = materializer;
        _placement = new StageOutputPlacement(services.Workspace, plan.Definition.Name, materializer);
        _state = ExternalInputState.Load(services.Workspace.StateDirectory);
        _previous = LockFile.Load(services.Workspace.LockFilePath).Stages(plan.Definition.Name);
        _started = services.Time.GetUtcNow().UtcDateTime;
        _runId = _started.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];
    }

    public async Task<RunResult> ExecuteAsync()
    {
        var clock = Stopwatch.StartNew();
        Emit(new RunPlanned(_plan.Stages.Select(s => s.Id).ToArray()));
        _remaining = _plan.Stages.Count;
        var allDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _block = new ActionBlock<PlannedStage>(async stage =>
        {
            await ProcessAsync(stage).ConfigureAwait(false);
            foreach (var child in stage.Children)
                if (_pendingParents.AddOrUpdate(child, 0, (_, n) => n - 1) == 0)
                    _block!.Post(_plan.ById[child]);
            if (Interlocked.Decrement(ref _remaining) == 0) allDone.TrySetResult();
        }, new ExecutionDataflowBlockOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Jobs), EnsureOrdered = false });

        foreach (var stage in _plan.Stages) _pendingParents[stage.Id] = stage.Parents.Count;
        if (_plan.Stages.Count == 0) allDone.TrySetResult();
        foreach (var stage in _plan.Stages.Where(s => s.Parents.Count == 0)) _block.Post(stage);
        await allDone.Task.ConfigureAwait(false);
        _block.Complete();
        await _block.Completion.ConfigureAwait(false);

        var outcomes = _plan.Stages.Select(s => _outcomes[s.Id]).ToArray();
        string status = _cancellation.IsCancellationRequested ? "cancelled"
            : outcomes.Any(o => o.Status is StageStatus.Failed or StageStatus.Skipped) ? "failed" : "succeeded";
        var (logPath, reportPath) = await _services.Recorder.RecordAsync(_runId, _plan, _options, _started, status, outcomes, _requests, _state, _materializer.Ownership, _log.ToArray())
            .ConfigureAwait(false);
        return new RunResult { RunId = _runId, Status = status, Stages = outcomes, LogPath = logPath, ReportPath = reportPath, Seconds = clock.Elapsed.TotalSeconds };
    }

    private async Task ProcessAsync(PlannedStage stage)
    {
        var clock = Stopwatch.StartNew();
        var failedParents = stage.Parents.Where(p => _outcomes[p].Status is StageStatus.Failed or StageStatus.Skipped).ToArray();
        if (failedParents.Length > 0 || _cancellation.IsCancellationRequested)
        {
            string why = failedParents.Length > 0 ? $"upstream failed: {string.Join(", ", failedParents)}" : "cancelled";
            Finish(new StageOutcome { Id = stage.Id, Kind = stage.Stage.Kind, Status = StageStatus.Skipped, Reason = why });
            return;
        }

        StageRunRequest? request = null;
        string? fingerprint = null;
        try
        {
            request = await _services.Requests.ForAsync(stage, _state, _outputs, _cancellation).ConfigureAwait(false);
            _requests[stage.Id] = request;
            fingerprint = request.Fingerprint();
            _previous.TryGetValue(stage.Id, out var locked);
            bool forced = _options.ForceAll || _options.ForceStages.Contains(stage.Id);

            if (!forced && await _services.RunCache.UsableEntryAsync(fingerprint, _cancellation).ConfigureAwait(false) is { } entry)
            {
                var paths = await _placement.PlaceAsync(stage, entry.Outputs).ConfigureAwait(false);
                string reason = locked?.Fingerprint == fingerprint ? "unchanged" : "restored from run cache";
                _log.Enqueue($"Stage '{stage.Id}' {(reason == "unchanged" ? "unchanged" : "matches an earlier run")}, restored from cache (fingerprint {fingerprint[..8]}).");
                _outputs[stage.Id] = entry.Outputs;
                Finish(Outcome(stage, request, StageStatus.Cached, reason, fingerprint, clock.Elapsed.TotalSeconds, entry.Outputs, paths, entry.Summary ?? new JsonObject(), entry.Metrics ?? []));
                return;
            }

            string why = forced ? "forced" : ChangeExplainer.Explain(locked, request, fingerprint);
            Emit(new StageStarted(stage.Id, why, fingerprint));
            _log.Enqueue($"Stage '{stage.Id}' runs: {why} (fingerprint {fingerprint[..8]}).");
            var result = await ExecuteStageAsync(stage.Id, request, stage.Definition.Resources, null, _cancellation).ConfigureAwait(false);
            await _services.RunCache.StoreAsync(fingerprint, request, result).ConfigureAwait(false);
            var placed = await _placement.PlaceAsync(stage, result.Outputs).ConfigureAwait(false);
            _outputs[stage.Id] = result.Outputs;
            Finish(Outcome(stage, request, StageStatus.Ran, why, fingerprint, clock.Elapsed.TotalSeconds, result.Outputs, placed, result.Summary, result.Metrics));
        }
        catch (Exception ex)
        {
            await FailAsync(stage, request, fingerprint, ex, clock.Elapsed.TotalSeconds).ConfigureAwait(false);
        }
    }

    /// <summary>Records a failed stage; a data check's outputs (its violations and report) are still placed for the user to read.</summary>
    private async Task FailAsync(PlannedStage stage, StageRunRequest? request, string? fingerprint, Exception ex, double seconds)
    {
        bool cancelled = ex is OperationCanceledException && _cancellation.IsCancellationRequested;
        string message = cancelled ? "cancelled" : StageFailure.Describe(ex);
        _log.Enqueue($"Stage '{stage.Id}' failed: {message}");
        var kept = ex is DataCheckFailedException { Outputs: { } o } ? o : new Dictionary<string, OutputRecord>();
        var keptPaths = kept.Count > 0 ? await _placement.PlaceAsync(stage, kept).ConfigureAwait(false) : new Dictionary<string, string>();
        Finish(new StageOutcome
        {
            Id = stage.Id, Kind = stage.Stage.Kind, Status = StageStatus.Failed, Reason = cancelled ? "cancelled" : "failed",
            Error = message, ErrorDetail = cancelled || StageFailure.IsForeseen(ex) ? null : ex.ToString(), InputError = !cancelled && StageFailure.IsInputError(ex),
            Fingerprint = fingerprint, Options = (JsonObject?)request?.Options.DeepClone(), Seconds = seconds, Libraries = stage.Stage.LibraryVersions,
            Outputs = kept.ToDictionary(o => o.Key, o => o.Value.Hash, StringComparer.Ordinal), OutputPaths = keptPaths,
        });
    }

    private Task<StageRunResult> ExecuteStageAsync(string label, StageRunRequest request, Definition.StageResources resources, IIntermediateReporter? reporter,
        CancellationToken cancellationToken)
    {
        var observer = new LoggingObserver(this);
        var callbacks = new StageRunCallbacks
        {
            Logger = new ObserverLogger(label, observer),
            Progress = new SynchronousProgress(p => observer.OnEvent(new StageProgressed(label, p))),
            Reporter = reporter,
            Invoker = new NestedInvoker(this, request, resources),
            Device = _options.Device,
            Resources = resources,
        };
        return _services.Executor.ExecuteAsync(request, callbacks, cancellationToken);
    }

    /// <summary>A stage another stage runs (a trial of a search): cached by its own fingerprint, its outputs readable from the cache.</summary>
    private async Task<StageInvocationResult> InvokeNestedAsync(StageRunRequest parent, Definition.StageResources resources, string kind, JsonObject with, IReadOnlyDictionary<string, string> inputs,
        string label, IIntermediateReporter? reporter, CancellationToken cancellationToken)
    {
        var request = _services.Requests.ForNested(parent, kind, with, inputs, label);
        string fingerprint = request.Fingerprint();
        var entry = await _services.RunCache.UsableEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, OutputRecord> outputs;
        JsonObject summary;
        // A trial restored without its recorded curve would give the study (and its pruner) less than a computed one.
        bool cached = entry is not null && (reporter is null || entry.IntermediateValues is not null);
        if (cached)
        {
            outputs = entry!.Outputs;
            summary = entry.Summary ?? new JsonObject();
            if (reporter is not null) RecordingReporter.Replay(entry.IntermediateValues!, reporter);
        }
        else
        {
            var recorder = reporter is null ? null : new RecordingReporter(reporter);
            var result = await ExecuteStageAsync(parent.StageId, request, resources, recorder, cancellationToken).ConfigureAwait(false);
            await _services.RunCache.StoreAsync(fingerprint, request, result, recorder?.Values ?? []).ConfigureAwait(false);
            outputs = result.Outputs;
            summary = result.Summary;
        }
        var paths = new Dictionary<string, string>(StringComparer.Ordinal);
        string scratch = Path.Combine(_services.Workspace.TempDirectory, "nested");
        foreach (var (name, record) in outputs)
            paths[name] = await _services.Cache.ReadablePathAsync(record.Hash, record.IsDirectory, scratch, cancellationToken).ConfigureAwait(false);
        return new StageInvocationResult(fingerprint, cached, paths, outputs.ToDictionary(o => o.Key, o => o.Value.Hash, StringComparer.Ordinal), (JsonObject)summary.DeepClone());
    }

    private static StageOutcome Outcome(PlannedStage stage, StageRunRequest request, StageStatus status, string reason, string fingerprint, double seconds,
        IReadOnlyDictionary<string, OutputRecord> outputs, IReadOnlyDictionary<string, string> paths, JsonObject summary, IReadOnlyList<StageMetric> metrics) => new()
    {
        Id = stage.Id,
        Kind = stage.Stage.Kind,
        Status = status,
        Reason = reason,
        Fingerprint = fingerprint,
        Seconds = seconds,
        Outputs = outputs.ToDictionary(o => o.Key, o => o.Value.Hash, StringComparer.Ordinal),
        OutputPaths = paths,
        Summary = (JsonObject)summary.DeepClone(),
        Metrics = metrics,
        Options = (JsonObject)request.Options.DeepClone(),
        Libraries = stage.Stage.LibraryVersions,
    };

    private void Finish(StageOutcome outcome)
    {
        outcome = outcome with { Parents = _plan.ById[outcome.Id].Parents };
        _outcomes[outcome.Id] = outcome;
        Emit(new StageFinished(outcome.Id, outcome));
    }

    private void Emit(RunEvent runEvent) => _observer?.OnEvent(runEvent);

    /// <summary>Stage log lines go to the observer and into the run log.</summary>
    private sealed class LoggingObserver(PipelineRun run) : IRunObserver
    {
        public void OnEvent(RunEvent runEvent)
        {
            if (runEvent is StageLogged logged) run._log.Enqueue($"[{logged.StageId}] {logged.Message}");
            run._observer?.OnEvent(runEvent);
        }
    }

    private sealed class NestedInvoker(PipelineRun run, StageRunRequest parent, Definition.StageResources resources) : IStageInvoker
    {
        public Task<StageInvocationResult> InvokeAsync(string kind, JsonObject with, IReadOnlyDictionary<string, string> inputs, string label,
            IIntermediateReporter? reporter, CancellationToken cancellationToken) =>
            run.InvokeNestedAsync(parent, resources, kind, with, inputs, label, reporter, cancellationToken);
    }

    /// <summary>Progress that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder).</summary>
    private sealed class SynchronousProgress(Action<StageProgress> report) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => report(value);
    }
}
