using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Tasks.Dataflow;
using Microsoft.Extensions.Logging;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Hashing;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Running;

/// <summary>
/// Runs a pipeline: plans it, fingerprints stages in topological order as their inputs become known, restores
/// stages whose fingerprint is in the run cache and computes the rest on a Dataflow block with bounded
/// parallelism, so independent branches run at once. A failure stops only its descendants.
/// </summary>
public sealed class PipelineRunner
{
    private readonly Workspace _workspace;
    private readonly StageRegistry _registry;
    private readonly ArtifactCache _cache;
    private readonly IStageExecutor _executor;
    private readonly TimeProvider _time;

    /// <summary>
    /// Creates a runner over a workspace; the store and executor default to the local ones, and outputs are
    /// materialised as reflinks or copies unless <paramref name="cacheType"/> asks for links.
    /// </summary>
    public PipelineRunner(Workspace workspace, StageRegistry registry, IArtifactStore? store = null, IStageExecutor? executor = null, TimeProvider? time = null,
        CacheType cacheType = CacheType.Reflink)
    {
        _workspace = workspace;
        _registry = registry;
        _cache = new ArtifactCache(store ?? new LocalArtifactStore(workspace.StateDirectory), cacheType);
        _executor = executor ?? new LocalStageExecutor(registry, _cache, workspace.TempDirectory);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The artifact cache the runner uses.</summary>
    public ArtifactCache Cache => _cache;

    /// <summary>Runs the pipeline. Validation problems throw <see cref="PipelineValidationException"/> before anything runs.</summary>
    public async Task<RunResult> RunAsync(PipelineDefinition definition, RunOptions? options = null, IRunObserver? observer = null, CancellationToken cancellationToken = default)
    {
        options = (options ?? new RunOptions()) with { };
        var plan = Planner.Plan(definition, _registry);
        foreach (var id in options.ForceStages)
            if (!plan.ById.ContainsKey(id))
                throw new UserInputException($"--force {id}: the pipeline has no stage '{id}'.{Suggest.DidYouMean(id, plan.ById.Keys)}");

        using var workspaceLock = WorkspaceLock.Acquire(_workspace.StateDirectory);
        var ownership = OutputOwnership.Load(_workspace);
        OutputPathRules.Enforce(plan, _workspace, ownership);
        CleanScratch();
        var run = new Run(this, plan, options, new OutputMaterializer(_cache, _workspace, ownership), observer, cancellationToken);
        return await run.ExecuteAsync().ConfigureAwait(false);
    }

    /// <summary>Scratch left by a killed run: nothing else can be using it while this process holds the workspace lock.</summary>
    private void CleanScratch()
    {
        foreach (var state in new[] { _workspace.StateDirectory, _workspace.RunsDirectory, Path.Combine(_workspace.StateDirectory, "runs-cache") })
            SiblingTemp.RemoveAllStale(state); // a record being written when the run was killed
        foreach (var root in new[] { _workspace.TempDirectory, Path.Combine(_workspace.StateDirectory, "cache", "tmp") })
        {
            if (!Directory.Exists(root)) continue;
            foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos())
            {
                try
                {
                    if (entry is DirectoryInfo directory) directory.Delete(recursive: true);
                    else entry.Delete();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // left for the next run; it is only scratch
                }
            }
        }
    }

    /// <summary>What a run would do and why, without running or changing anything (<c>status</c>, <c>--dry-run</c>).</summary>
    public async Task<IReadOnlyList<StagePlanStatus>> StatusAsync(PipelineDefinition definition, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new RunOptions();
        var plan = Planner.Plan(definition, _registry);
        var materializer = new OutputMaterializer(_cache, _workspace, OutputOwnership.Load(_workspace));
        OutputPathRules.Enforce(plan, _workspace, materializer.Ownership);
        var state = ExternalInputState.Load(_workspace.StateDirectory);
        var previous = LockFile.Load(_workspace.LockFilePath).Stages(definition.Name);
        var outputs = new Dictionary<string, IReadOnlyDictionary<string, OutputRecord>?>(StringComparer.Ordinal);
        var result = new List<StagePlanStatus>();
        foreach (var stage in plan.Stages)
        {
            var waiting = stage.Parents.Where(p => outputs[p] is null).ToArray();
            if (waiting.Length > 0)
            {
                outputs[stage.Id] = null;
                result.Add(new StagePlanStatus(stage.Id, true, $"upstream will run: {string.Join(", ", waiting)}", null));
                continue;
            }
            var request = await BuildRequestAsync(stage, state, outputs!, cancellationToken).ConfigureAwait(false);
            string fingerprint = request.Fingerprint();
            bool forced = options.ForceAll || options.ForceStages.Contains(stage.Id);
            var entry = forced ? null : await UsableEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            outputs[stage.Id] = entry?.Outputs;
            previous.TryGetValue(stage.Id, out var locked);
            string? modified = entry is not null && locked?.Fingerprint == fingerprint
                ? await ModifiedOutputsAsync(definition.Name, stage, entry.Outputs, materializer, cancellationToken).ConfigureAwait(false) : null;
            string reason = forced ? "forced"
                : modified is not null ? $"output modified: {modified} (run restores it from the cache)"
                : entry is not null ? (locked?.Fingerprint == fingerprint ? "up to date" : "restore from run cache")
                : ChangeExplainer.Explain(locked, request, fingerprint);
            result.Add(new StagePlanStatus(stage.Id, entry is null || modified is not null, reason, fingerprint));
        }
        return result;
    }

    /// <summary>
    /// Places the outputs a recorded run produced back where that run put them (its default path and any user path),
    /// from the cache, as a restore does; nothing runs and <c>pipelines.lock</c> is left alone. Returns the paths placed.
    /// A stage whose outputs are no longer cached is the user's to fix (recompute with <c>run</c>).
    /// </summary>
    public async Task<IReadOnlyList<string>> CheckoutAsync(string runLogPath, CancellationToken cancellationToken = default)
    {
        var log = JsonNode.Parse(await File.ReadAllTextAsync(runLogPath, cancellationToken).ConfigureAwait(false))
            ?? throw new InvalidDataException($"{runLogPath}: the run log is empty.");
        string runId = log["run_id"]!.GetValue<string>();
        string pipeline = log["pipeline"]!.GetValue<string>();
        using var workspaceLock = WorkspaceLock.Acquire(_workspace.StateDirectory);
        var materializer = new OutputMaterializer(_cache, _workspace, OutputOwnership.Load(_workspace));
        var placed = new List<string>();
        foreach (var stage in log["stages"]!.AsArray())
        {
            if (stage!["status"]?.GetValue<string>() is not ("ran" or "cached") || stage["fingerprint"]?.GetValue<string>() is not { } fingerprint) continue;
            string id = stage["id"]!.GetValue<string>();
            var entry = await UsableEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false)
                ?? throw new UserInputException($"run {runId}: the outputs of stage '{id}' are no longer in the cache (removed by `cache gc`?). Run the pipeline to recompute them.");
            foreach (var (name, record) in entry.Outputs)
            {
                var port = new StagePort(name, record.Kind, Extension: record.Extension);
                var targets = new List<string> { _workspace.DefaultOutputPath(pipeline, id, port) };
                if (stage["outputs"]?[name]?["path"]?.GetValue<string>() is { } recorded) targets.Add(ConfinedPath(recorded, runId));
                foreach (var target in targets.Distinct(StringComparer.Ordinal))
                {
                    await materializer.PlaceAsync(record.Hash, record.IsDirectory, target, cancellationToken).ConfigureAwait(false);
                    placed.Add(Path.GetRelativePath(_workspace.Root, target).Replace('\\', '/'));
                }
            }
        }
        await materializer.Ownership.SaveAsync(cancellationToken).ConfigureAwait(false);
        return placed;
    }

    /// <summary>A path a run log records, held to the rules of <see cref="OutputPathRules"/>: a log is a file anyone can edit.</summary>
    private string ConfinedPath(string recorded, string runId)
    {
        string full = Path.GetFullPath(Path.Combine(_workspace.Root, recorded));
        string real = Internal.RealPath.Of(full), root = Internal.RealPath.Of(_workspace.Root);
        bool inside = real != root && Internal.RealPath.IsWithin(real, root);
        bool inTool = Internal.RealPath.IsWithin(real, Internal.RealPath.Of(_workspace.StateDirectory)) && !Internal.RealPath.IsWithin(real, Internal.RealPath.Of(_workspace.OutputDirectory));
        return inside && !inTool ? full : throw new UserInputException($"run {runId}: the recorded output path '{recorded}' is not a place inside the workspace that outputs may go.");
    }

    /// <summary>The outputs (as <c>stage.output</c>, comma-separated) whose materialised copy is missing or differs from the cache; null when none.</summary>
    private async Task<string?> ModifiedOutputsAsync(string pipelineName, PlannedStage stage, IReadOnlyDictionary<string, OutputRecord> outputs,
        OutputMaterializer materializer, CancellationToken cancellationToken)
    {
        var modified = new List<string>();
        foreach (var (port, userPath) in stage.Outputs)
        {
            if (!outputs.TryGetValue(port.Name, out var record)) continue;
            foreach (var path in new[] { _workspace.DefaultOutputPath(pipelineName, stage.Id, port), userPath is null ? null : Path.GetFullPath(Path.Combine(_workspace.Root, userPath)) })
            {
                if (path is null) continue;
                if (await materializer.IsModifiedAsync(record.Hash, record.IsDirectory, path, cancellationToken).ConfigureAwait(false))
                {
                    modified.Add($"{stage.Id}.{port.Name}");
                    break;
                }
            }
        }
        return modified.Count > 0 ? string.Join(", ", modified) : null;
    }

    private async Task<StageRunRequest> BuildRequestAsync(PlannedStage stage, ExternalInputState state,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, OutputRecord>> upstreamOutputs, CancellationToken cancellationToken)
    {
        var inputs = new SortedDictionary<string, RequestInput>(StringComparer.Ordinal);
        foreach (var input in stage.Inputs)
        {
            if (input.ExternalPath is { } path)
            {
                string hash = await state.HashAsync(path, cancellationToken).ConfigureAwait(false);
                inputs[input.Name] = new RequestInput(hash, input.Port.Kind, path);
            }
            else
            {
                var record = UpstreamOutput(stage, input.Name, input.UpstreamStage!, input.UpstreamOutput!, upstreamOutputs);
                inputs[input.Name] = new RequestInput(record.Hash, record.Kind, null);
            }
        }
        return new StageRunRequest
        {
            StageId = stage.Id,
            Kind = stage.Stage.Kind,
            Version = stage.Stage.Version,
            Options = stage.OptionsSource is { } source ? await MergedOptionsAsync(stage, UpstreamOutput(stage, "with_from", source.UpstreamStage!, source.UpstreamOutput!, upstreamOutputs), cancellationToken).ConfigureAwait(false) : stage.OptionsJson,
            Seed = stage.Seed,
            Inputs = inputs,
            Outputs = stage.Outputs.Select(o => o.Port.Name).ToArray(),
            Libraries = new SortedDictionary<string, string>(stage.Stage.LibraryVersions.ToDictionary(), StringComparer.Ordinal),
        };
    }

    /// <summary>An upstream stage's output record; an optional output it did not write is a clear user error.</summary>
    private static OutputRecord UpstreamOutput(PlannedStage stage, string inputName, string upstreamStage, string upstreamOutput,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, OutputRecord>> upstreamOutputs) =>
        upstreamOutputs[upstreamStage].TryGetValue(upstreamOutput, out var record)
            ? record
            : throw new UserInputException($"stage '{stage.Id}': input '{inputName}' = '{upstreamStage}.{upstreamOutput}', but stage '{upstreamStage}' did not write its optional output '{upstreamOutput}' (see that stage's options).");

    /// <summary>The stage's options with the params of its <c>with_from</c> JSON merged over them, bound and validated again.</summary>
    private async Task<JsonObject> MergedOptionsAsync(PlannedStage stage, OutputRecord source, CancellationToken cancellationToken)
    {
        string where = $"stage '{stage.Id}': options from '{stage.Definition.WithFrom}'";
        await using var stream = await _cache.Store.OpenReadAsync(source.Hash, cancellationToken).ConfigureAwait(false);
        JsonObject document;
        try
        {
            document = (await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false)) as JsonObject
                       ?? throw new System.Text.Json.JsonException("not a JSON object");
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new UserInputException($"{where}: the file is not a JSON object ({ex.Message}).");
        }
        var merged = (JsonObject)stage.OptionsJson.DeepClone();
        foreach (var (key, value) in (document["params"] as JsonObject ?? document).ToArray())
            ParamsTree.Set(merged, key, value?.DeepClone());
        var problems = new List<string>();
        var options = OptionsBinder.Bind(stage.Stage.OptionsType, merged, (_, m) => m.First(), problems);
        if (options is not null) problems.AddRange(stage.Stage.Validate(options));
        if (problems.Count > 0) throw new UserInputException($"{where}: {string.Join(" ", problems)}");
        return OptionsBinder.ToJson(options!);
    }

    /// <summary>A run-cache entry whose blobs all exist, or null.</summary>
    internal async Task<RunCacheEntry?> UsableEntryAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var entry = await _cache.Store.GetRunCacheEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        if (entry is null) return null;
        foreach (var output in entry.Outputs.Values)
            if (!await _cache.ExistsAsync(output.Hash, output.IsDirectory, cancellationToken).ConfigureAwait(false)) return null;
        return entry;
    }

    /// <summary>One execution of a plan: its state lives here so the runner stays reusable.</summary>
    private sealed class Run
    {
        private readonly PipelineRunner _runner;
        private readonly PipelinePlan _plan;
        private readonly RunOptions _options;
        private readonly IRunObserver? _observer;
        private readonly CancellationToken _cancellation;
        private readonly ConcurrentDictionary<string, StageOutcome> _outcomes = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, OutputRecord>> _outputs = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, int> _pendingParents = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _log = new();
        private readonly ExternalInputState _state;
        private readonly OutputMaterializer _materializer;
        private readonly LockFile _lockFile;
        private readonly IReadOnlyDictionary<string, LockedStage> _previous;
        private readonly string _runId;
        private readonly DateTime _started;
        private readonly ConcurrentDictionary<string, StageRunRequest> _requests = new(StringComparer.Ordinal);
        private ActionBlock<PlannedStage>? _block;
        private int _remaining;

        public Run(PipelineRunner runner, PipelinePlan plan, RunOptions options, OutputMaterializer materializer, IRunObserver? observer, CancellationToken cancellation)
        {
            _runner = runner;
            _materializer = materializer;
            _plan = plan;
            _options = options;
            _observer = observer;
            _cancellation = cancellation;
            _state = ExternalInputState.Load(runner._workspace.StateDirectory);
            _lockFile = LockFile.Load(runner._workspace.LockFilePath);
            _previous = _lockFile.Stages(plan.Definition.Name);
            _started = runner._time.GetUtcNow().UtcDateTime;
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

            // Bookkeeping must complete even when the run was cancelled: it is what keeps the next run consistent.
            foreach (var outcome in outcomes.Where(o => o.Status is StageStatus.Ran or StageStatus.Cached))
                _lockFile.Set(_plan.Definition.Name, outcome.Id, Lock(outcome));
            _lockFile.Retain(_plan.Definition.Name, _plan.Stages.Select(s => s.Id));
            await _lockFile.SaveAsync(_runner._workspace.LockFilePath, CancellationToken.None).ConfigureAwait(false);
            await _state.SaveAsync(CancellationToken.None).ConfigureAwait(false);
            await _materializer.Ownership.SaveAsync(CancellationToken.None).ConfigureAwait(false);
            var environment = Running.EnvironmentInfo.Capture(_options.Device.ToString().ToLowerInvariant());
            string logPath = await RunLogWriter.WriteAsync(_runner._workspace, _runId, _plan.Definition.Name, _plan.Definition.SourcePath,
                _plan.Definition.Params, _plan.Definition.Overrides, _started, _runner._time.GetUtcNow().UtcDateTime, status, outcomes, environment, _log.ToArray(), CancellationToken.None).ConfigureAwait(false);
            string reportPath = await Reporting.RunReport.WriteAsync(_runner._workspace, logPath, _runner._workspace.RunReportPath, selfContained: false, CancellationToken.None).ConfigureAwait(false);
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
                request = await _runner.BuildRequestAsync(stage, _state, _outputs, _cancellation).ConfigureAwait(false);
                _requests[stage.Id] = request;
                fingerprint = request.Fingerprint();
                _previous.TryGetValue(stage.Id, out var locked);
                bool forced = _options.ForceAll || _options.ForceStages.Contains(stage.Id);

                if (!forced && await _runner.UsableEntryAsync(fingerprint, _cancellation).ConfigureAwait(false) is { } entry)
                {
                    var paths = await MaterializeAsync(stage, entry.Outputs).ConfigureAwait(false);
                    string reason = locked?.Fingerprint == fingerprint ? "unchanged" : "restored from run cache";
                    _log.Enqueue($"Stage '{stage.Id}' {(reason == "unchanged" ? "unchanged" : "matches an earlier run")}, restored from cache (fingerprint {fingerprint[..8]}).");
                    _outputs[stage.Id] = entry.Outputs;
                    Finish(Outcome(stage, request, StageStatus.Cached, reason, fingerprint, clock.Elapsed.TotalSeconds, entry.Outputs, paths, entry.Summary ?? new JsonObject(), entry.Metrics ?? []));
                    return;
                }

                string why = forced ? "forced" : ChangeExplainer.Explain(locked, request, fingerprint);
                Emit(new StageStarted(stage.Id, why, fingerprint));
                _log.Enqueue($"Stage '{stage.Id}' runs: {why} (fingerprint {fingerprint[..8]}).");
                var result = await RunStageAsync(stage.Id, request, null, _cancellation).ConfigureAwait(false);
                await _runner._cache.Store.PutRunCacheEntryAsync(new RunCacheEntry
                {
                    Fingerprint = fingerprint,
                    Kind = request.Kind,
                    Outputs = result.Outputs,
                    Summary = result.Summary,
                    Metrics = result.Metrics,
                    Seconds = result.Seconds,
                    Created = _runner._time.GetUtcNow().UtcDateTime,
                }, CancellationToken.None).ConfigureAwait(false);
                var materialized = await MaterializeAsync(stage, result.Outputs).ConfigureAwait(false);
                _outputs[stage.Id] = result.Outputs;
                Finish(Outcome(stage, request, StageStatus.Ran, why, fingerprint, clock.Elapsed.TotalSeconds, result.Outputs, materialized, result.Summary, result.Metrics));
            }
            catch (Exception ex)
            {
                bool cancelled = ex is OperationCanceledException && _cancellation.IsCancellationRequested;
                string message = cancelled ? "cancelled" : Describe(ex);
                _log.Enqueue($"Stage '{stage.Id}' failed: {message}");
                var kept = ex is DataCheckFailedException { Outputs: { } o } ? o : new Dictionary<string, OutputRecord>();
                var keptPaths = kept.Count > 0 ? await MaterializeAsync(stage, kept).ConfigureAwait(false) : new Dictionary<string, string>();
                Finish(new StageOutcome
                {
                    Id = stage.Id, Kind = stage.Stage.Kind, Status = StageStatus.Failed, Reason = cancelled ? "cancelled" : "failed",
                    Error = message, ErrorDetail = cancelled || IsForeseen(ex) ? null : ex.ToString(), InputError = !cancelled && IsInputError(ex), Fingerprint = fingerprint, Options = (JsonObject?)request?.Options.DeepClone(), Seconds = clock.Elapsed.TotalSeconds, Libraries = stage.Stage.LibraryVersions,
                    Outputs = kept.ToDictionary(o => o.Key, o => o.Value.Hash, StringComparer.Ordinal), OutputPaths = keptPaths,
                });
            }
        }

        private Task<StageRunResult> RunStageAsync(string label, StageRunRequest request, IIntermediateReporter? reporter, CancellationToken cancellationToken)
        {
            var observer = new LoggingObserver(this);
            var callbacks = new StageRunCallbacks
            {
                Logger = new ObserverLogger(label, observer),
                Progress = new SynchronousProgress(p => observer.OnEvent(new StageProgressed(label, p))),
                Reporter = reporter,
                Invoker = new NestedInvoker(this, request),
                Device = _options.Device,
            };
            return _runner._executor.ExecuteAsync(request, callbacks, cancellationToken);
        }

        private async Task<StageInvocationResult> InvokeNestedAsync(StageRunRequest parent, string kind, JsonObject with, IReadOnlyDictionary<string, string> inputs,
            string label, IIntermediateReporter? reporter, CancellationToken cancellationToken)
        {
            var stage = _runner._registry.Resolve(kind) ?? throw new UserInputException($"Unknown stage kind '{kind}'.{Suggest.DidYouMean(kind, _runner._registry.Kinds)}");
            var problems = new List<string>();
            var options = OptionsBinder.Bind(stage.OptionsType, with, (_, m) => m.First(), problems);
            if (options is not null) problems.AddRange(stage.Validate(options));
            if (problems.Count > 0) throw new UserInputException($"{label}: " + string.Join(" ", problems));
            var requestInputs = new SortedDictionary<string, RequestInput>(StringComparer.Ordinal);
            foreach (var (name, parentName) in inputs)
                requestInputs[name] = parent.Inputs.TryGetValue(parentName, out var input) ? input
                    : throw new UserInputException($"{label}: input '{parentName}' is not an input of stage '{parent.StageId}'.");
            var request = new StageRunRequest
            {
                StageId = $"{parent.StageId}-{label.Replace(' ', '-')}",
                Kind = stage.Kind,
                Version = stage.Version,
                Options = OptionsBinder.ToJson(options!),
                Seed = parent.Seed,
                Inputs = requestInputs,
                Outputs = stage.Outputs.Select(o => o.Name).ToArray(),
                Libraries = new SortedDictionary<string, string>(stage.LibraryVersions.ToDictionary(), StringComparer.Ordinal),
            };
            string fingerprint = request.Fingerprint();
            bool cached = true;
            var entry = await _runner.UsableEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            IReadOnlyDictionary<string, OutputRecord> outputs;
            JsonObject summary;
            // A trial restored without its recorded curve would give the study (and its pruner) less than a computed one.
            if (entry is not null && (reporter is null || entry.IntermediateValues is not null))
            {
                outputs = entry.Outputs;
                summary = entry.Summary ?? new JsonObject();
                if (reporter is not null) RecordingReporter.Replay(entry.IntermediateValues!, reporter);
            }
            else
            {
                cached = false;
                var recorder = reporter is null ? null : new RecordingReporter(reporter);
                var result = await RunStageAsync(parent.StageId, request, recorder, cancellationToken).ConfigureAwait(false);
                await _runner._cache.Store.PutRunCacheEntryAsync(new RunCacheEntry
                {
                    Fingerprint = fingerprint, Kind = request.Kind, Outputs = result.Outputs, Summary = result.Summary, Metrics = result.Metrics,
                    IntermediateValues = recorder?.Values ?? [], Seconds = result.Seconds, Created = _runner._time.GetUtcNow().UtcDateTime,
                }, CancellationToken.None).ConfigureAwait(false);
                outputs = result.Outputs;
                summary = result.Summary;
            }
            var paths = new Dictionary<string, string>(StringComparer.Ordinal);
            string scratch = Path.Combine(_runner._workspace.TempDirectory, "nested");
            foreach (var (name, record) in outputs)
                paths[name] = await _runner._cache.ReadablePathAsync(record.Hash, record.IsDirectory, scratch, cancellationToken).ConfigureAwait(false);
            return new StageInvocationResult(fingerprint, cached, paths, outputs.ToDictionary(o => o.Key, o => o.Value.Hash, StringComparer.Ordinal), (JsonObject)summary.DeepClone());
        }

        private async Task<IReadOnlyDictionary<string, string>> MaterializeAsync(PlannedStage stage, IReadOnlyDictionary<string, OutputRecord> outputs)
        {
            var paths = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (port, userPath) in stage.Outputs)
            {
                string target = _runner._workspace.DefaultOutputPath(_plan.Definition.Name, stage.Id, port);
                if (!outputs.TryGetValue(port.Name, out var record))
                {
                    // An optional output not written this time: a copy from an earlier run would mislead.
                    _materializer.Remove(target);
                    if (userPath is not null) _materializer.Remove(Path.GetFullPath(Path.Combine(_runner._workspace.Root, userPath)));
                    continue;
                }
                await _materializer.PlaceAsync(record.Hash, record.IsDirectory, target, CancellationToken.None).ConfigureAwait(false);
                paths[port.Name] = Path.GetRelativePath(_runner._workspace.Root, target).Replace('\\', '/');
                if (userPath is not null)
                {
                    string full = Path.GetFullPath(Path.Combine(_runner._workspace.Root, userPath));
                    await _materializer.PlaceAsync(record.Hash, record.IsDirectory, full, CancellationToken.None).ConfigureAwait(false);
                    paths[port.Name] = userPath;
                }
            }
            return paths;
        }

        private StageOutcome Outcome(PlannedStage stage, StageRunRequest request, StageStatus status, string reason, string fingerprint, double seconds,
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

        private LockedStage Lock(StageOutcome outcome)
        {
            var stage = _plan.ById[outcome.Id];
            var request = _requests[outcome.Id];
            return new LockedStage
            {
                Kind = request.Kind,
                Version = request.Version,
                Fingerprint = outcome.Fingerprint!,
                Seed = request.Seed,
                Params = ChangeExplainer.Flatten(request.Options),
                Inputs = stage.Inputs.ToDictionary(i => i.Name, i => (i.Reference, request.Inputs[i.Name].Hash), StringComparer.Ordinal),
                Outputs = outcome.Outputs.ToDictionary(o => o.Key, o => (o.Value, outcome.OutputPaths.GetValueOrDefault(o.Key) ?? ""), StringComparer.Ordinal),
                Libraries = request.Libraries,
            };
        }

        private void Finish(StageOutcome outcome)
        {
            outcome = outcome with { Parents = _plan.ById[outcome.Id].Parents };
            _outcomes[outcome.Id] = outcome;
            Emit(new StageFinished(outcome.Id, outcome));
        }

        private void Emit(RunEvent runEvent) => _observer?.OnEvent(runEvent);

        /// <summary>Stage log lines go to the observer and into the run log.</summary>
        private sealed class LoggingObserver(Run run) : IRunObserver
        {
            public void OnEvent(RunEvent runEvent)
            {
                if (runEvent is StageLogged logged) run._log.Enqueue($"[{logged.StageId}] {logged.Message}");
                run._observer?.OnEvent(runEvent);
            }
        }

        // Bad user input, as opposed to a failing stage or data check; a data check (DataCheckFailedException) stays exit 1.
        private static bool IsInputError(Exception ex) => Innermost(ex) is UserInputException or InvalidDataException;

        private static Exception Innermost(Exception ex) => ex is AggregateException { InnerExceptions.Count: 1 } agg ? Innermost(agg.InnerExceptions[0]) : ex;

        // Failures whose message says all there is: shown as they are, with no stack kept.
        private static bool IsForeseen(Exception ex) =>
            Innermost(ex) is UserInputException or DataCheckFailedException or InvalidDataException or FileNotFoundException or TrialPrunedException;

        private static string Describe(Exception ex) => IsForeseen(ex) ? Innermost(ex).Message : $"{Innermost(ex).GetType().Name}: {Innermost(ex).Message}";

        private sealed class NestedInvoker(Run run, StageRunRequest parent) : IStageInvoker
        {
            public Task<StageInvocationResult> InvokeAsync(string kind, JsonObject with, IReadOnlyDictionary<string, string> inputs, string label,
                IIntermediateReporter? reporter, CancellationToken cancellationToken) =>
                run.InvokeNestedAsync(parent, kind, with, inputs, label, reporter, cancellationToken);
        }
    }

    /// <summary>Progress that reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool and reorder).</summary>
    private sealed class SynchronousProgress(Action<StageProgress> report) : IProgress<StageProgress>
    {
        public void Report(StageProgress value) => report(value);
    }
}
