using Microsoft.Extensions.Logging;
using Pipelines.Core.Caching;
using Pipelines.Core.Running;

namespace Pipelines.Core.Slurm;

/// <summary>
/// The node's side of a Slurm stage run (<c>pipelines worker run REQUEST</c>): runs the request with the local
/// executor against the shared workspace's store and answers, naming the job and the attempt.
/// </summary>
public sealed class StageWorker
{
    private readonly Workspace _workspace;
    private readonly StageRegistry _registry;
    private readonly CacheType _cacheType;
    private readonly TimeProvider _time;

    /// <summary>Creates a worker over the shared <paramref name="workspace"/>.</summary>
    public StageWorker(Workspace workspace, StageRegistry registry, CacheType cacheType = CacheType.Reflink, TimeProvider? time = null)
    {
        _workspace = workspace;
        _registry = registry;
        _cacheType = cacheType;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Runs the request at <paramref name="requestPath"/> and writes its answer beside it; the job and attempt come from
    /// <c>SLURM_JOB_ID</c> and <c>SLURM_RESTART_COUNT</c>. A failing stage throws and writes no answer.
    /// </summary>
    public async Task<SlurmAnswer> RunAsync(string requestPath, TextWriter log, CancellationToken cancellationToken)
    {
        var (request, device) = SlurmRequestFile.Read(requestPath);
        var files = new SlurmJobFiles(_workspace, request.Fingerprint());
        var started = _time.GetUtcNow().UtcDateTime;
        var cache = new ArtifactCache(new LocalArtifactStore(_workspace.StateDirectory), _cacheType);
        var executor = new LocalStageExecutor(_registry, cache, files.Scratch);
        var reporter = new CollectingReporter();
        var callbacks = new StageRunCallbacks { Logger = new LineLogger(log, request.StageId), Device = device, Reporter = reporter };
        var result = await executor.ExecuteAsync(request, callbacks, cancellationToken).ConfigureAwait(false);
        var answer = new SlurmAnswer
        {
            JobId = Environment.GetEnvironmentVariable("SLURM_JOB_ID") ?? "",
            Attempt = int.TryParse(Environment.GetEnvironmentVariable("SLURM_RESTART_COUNT"), out int attempt) ? attempt : 0,
            Node = Environment.GetEnvironmentVariable("SLURMD_NODENAME") ?? Environment.MachineName,
            Started = started,
            Finished = _time.GetUtcNow().UtcDateTime,
            Outputs = result.Outputs,
            Summary = result.Summary,
            Metrics = result.Metrics,
            IntermediateValues = reporter.Values,
            Seconds = result.Seconds,
        };
        answer.WriteTo(files.Answer);
        return answer;
    }

    /// <summary>Keeps what a trial reports; the driver replays it to the study (pruning needs the driver, so none happens here).</summary>
    private sealed class CollectingReporter : IIntermediateReporter
    {
        private readonly List<IntermediateValue> _values = [];

        public IReadOnlyList<IntermediateValue> Values => _values.ToArray();

        public void Report(double value, int step) => _values.Add(new IntermediateValue(step, value));

        public bool ShouldPrune() => false;

        public bool IsFirstToSay(string topic) => true;
    }

    /// <summary>Stage log lines to the job's stdout, one per line.</summary>
    private sealed class LineLogger(TextWriter writer, string stageId) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (writer) writer.WriteLine($"[{stageId}] {formatter(state, exception)}");
        }
    }
}
