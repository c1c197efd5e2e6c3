using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Running;

/// <summary>
/// Runs a pipeline: plans it, fingerprints stages in topological order as their inputs become known, restores
/// stages whose fingerprint is in the run cache and computes the rest on a Dataflow block with bounded
/// parallelism, so independent branches run at once. A failure stops only its descendants.
/// </summary>
/// <remarks>
/// The parts: <see cref="Planner"/> (definition → plan), <see cref="StageRequestFactory"/> (planned stage →
/// request and fingerprint), <see cref="RunCache"/> (fingerprint → outputs), an <see cref="IStageExecutor"/>
/// (request → outputs), <see cref="StageOutputPlacement"/> (outputs → workspace paths), <see cref="RunRecorder"/>
/// (lock, run log, report), and <see cref="PipelineRun"/>, which only orders stages and handles their failures.
/// </remarks>
public sealed class PipelineRunner
{
    private readonly Workspace _workspace;
    private readonly ArtifactCache _cache;
    private readonly RunServices _services;

    /// <summary>
    /// Creates a runner over a workspace; the store and executor default to the local ones, and outputs are
    /// materialised as reflinks or copies unless <paramref name="cacheType"/> asks for links. With a
    /// <paramref name="remote"/>, a stage the local run cache misses is looked up there before it is computed.
    /// </summary>
    public PipelineRunner(Workspace workspace, StageRegistry registry, IArtifactStore? store = null, IStageExecutor? executor = null, TimeProvider? time = null,
        CacheType cacheType = CacheType.Reflink, IRunCacheFallback? remote = null)
    {
        _workspace = workspace;
        _cache = new ArtifactCache(store ?? new LocalArtifactStore(workspace.StateDirectory), cacheType);
        time ??= TimeProvider.System;
        _services = new RunServices(workspace, registry, _cache, executor ?? new LocalStageExecutor(registry, _cache, workspace.TempDirectory), time,
            new StageRequestFactory(_cache, registry), new RunCache(_cache, time, remote), new RunRecorder(workspace, time));
    }

    /// <summary>The artifact cache the runner uses.</summary>
    public ArtifactCache Cache => _cache;

    /// <summary>Runs the pipeline. Validation problems throw <see cref="PipelineValidationException"/> before anything runs.</summary>
    public async Task<RunResult> RunAsync(PipelineDefinition definition, RunOptions? options = null, IRunObserver? observer = null, CancellationToken cancellationToken = default)
    {
        options = (options ?? new RunOptions()) with { };
        var plan = Planner.Plan(definition, _services.Registry);
        foreach (var id in options.ForceStages)
            if (!plan.ById.ContainsKey(id))
                throw new UserInputException($"--force {id}: the pipeline has no stage '{id}'.{Suggest.DidYouMean(id, plan.ById.Keys)}");

        using var workspaceLock = WorkspaceLock.Acquire(_workspace.StateDirectory);
        var ownership = OutputOwnership.Load(_workspace);
        OutputPathRules.Enforce(plan, _workspace, ownership);
        CleanScratch();
        var run = new PipelineRun(_services, plan, options, new OutputMaterializer(_cache, _workspace, ownership), observer, cancellationToken);
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
        var plan = Planner.Plan(definition, _services.Registry);
        var materializer = new OutputMaterializer(_cache, _workspace, OutputOwnership.Load(_workspace));
        OutputPathRules.Enforce(plan, _workspace, materializer.Ownership);
        var placement = new StageOutputPlacement(_workspace, definition.Name, materializer);
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
            var request = await _services.Requests.ForAsync(stage, state, outputs!, cancellationToken).ConfigureAwait(false);
            string fingerprint = request.Fingerprint();
            bool forced = options.ForceAll || options.ForceStages.Contains(stage.Id);
            var entry = forced ? null : await _services.RunCache.LocalEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
            outputs[stage.Id] = entry?.Outputs;
            previous.TryGetValue(stage.Id, out var locked);
            string? modified = entry is not null && locked?.Fingerprint == fingerprint
                ? await placement.ModifiedAsync(stage, entry.Outputs, cancellationToken).ConfigureAwait(false) : null;
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
    public Task<IReadOnlyList<string>> CheckoutAsync(string runLogPath, CancellationToken cancellationToken = default) =>
        new RunCheckout(_workspace, _cache, _services.RunCache).CheckoutAsync(runLogPath, cancellationToken);

    /// <summary>
    /// Places the outputs every stage in <c>pipelines.lock</c> records (its default path and any user path) from the
    /// cache, as <c>pull</c> does after fetching; nothing runs. Stages whose outputs are not cached are left out and
    /// named in the result.
    /// </summary>
    public Task<LockCheckoutResult> CheckoutLockAsync(CancellationToken cancellationToken = default) =>
        new RunCheckout(_workspace, _cache, _services.RunCache).CheckoutLockAsync(cancellationToken);
}

/// <summary>The parts a run uses, shared by every run of one <see cref="PipelineRunner"/>.</summary>
internal sealed record RunServices(Workspace Workspace, StageRegistry Registry, ArtifactCache Cache, IStageExecutor Executor, TimeProvider Time,
    StageRequestFactory Requests, RunCache RunCache, RunRecorder Recorder);
