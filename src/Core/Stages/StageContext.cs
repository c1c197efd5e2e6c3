using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipelines.Core.Tables;

namespace Pipelines.Core;

/// <summary>
/// Everything a running stage may touch: its options, inputs, output locations, seed, logger, progress and
/// device. Stages never reach the cache or the workspace except through this.
/// </summary>
public sealed class StageContext
{
    private readonly object _options;
    private readonly IReadOnlyDictionary<string, StageInput> _inputs;
    private readonly IReadOnlyDictionary<string, string> _outputPaths;
    private readonly List<StageMetric> _metrics = [];

    /// <summary>Creates a context; the executor does this.</summary>
    public StageContext(StageContextArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        StageId = args.StageId;
        _options = args.Options;
        _inputs = args.Inputs;
        _outputPaths = args.OutputPaths;
        Seed = args.Seed;
        Logger = args.Logger ?? NullLogger.Instance;
        Progress = args.Progress ?? new Progress<StageProgress>();
        Device = args.Device;
        ScratchDirectory = args.ScratchDirectory;
        Reporter = args.Reporter;
        Stages = args.Invoker ?? UnavailableInvoker.Instance;
        CancellationToken = args.CancellationToken;
    }

    /// <summary>The stage's id in the pipeline.</summary>
    public string StageId { get; }

    /// <summary>A seed derived from the pipeline seed and the stage id: the only randomness source a stage may use.</summary>
    public long Seed { get; }

    /// <summary>Where the stage logs; lines go to the console and the run log.</summary>
    public ILogger Logger { get; }

    /// <summary>Where the stage reports progress.</summary>
    public IProgress<StageProgress> Progress { get; }

    /// <summary>The device the user asked for.</summary>
    public ComputeDevice Device { get; }

    /// <summary>A private empty directory, deleted after the stage.</summary>
    public string ScratchDirectory { get; }

    /// <summary>Non-null when the stage runs as a tuning trial.</summary>
    public IIntermediateReporter? Reporter { get; }

    /// <summary>Runs other stage kinds, cached (used by <c>tune</c>).</summary>
    public IStageInvoker Stages { get; }

    /// <summary>Cancelled on Ctrl+C or when the run stops.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Key figures (<c>rows_in</c>, <c>rows_out</c>...) for the run log and the run report.</summary>
    public IDictionary<string, object> Summary { get; } = new SortedDictionary<string, object>(StringComparer.Ordinal);

    /// <summary>The metrics declared with <c>DeclareMetric</c>, in declaration order.</summary>
    public IReadOnlyList<StageMetric> Metrics => _metrics;

    /// <summary>
    /// Declares a result worth comparing across runs; it also goes into <see cref="Summary"/> under the same name,
    /// so the run report keeps showing it. Declaring a name again replaces the earlier value.
    /// </summary>
    public void DeclareMetric(string name, double value, MetricDirection direction)
    {
        Record(new StageMetric(name, value, direction));
        Summary[name] = value;
    }

    /// <summary>Declares a count as a metric; the summary keeps it a whole number.</summary>
    public void DeclareMetric(string name, long count, MetricDirection direction)
    {
        Record(new StageMetric(name, count, direction));
        Summary[name] = count;
    }

    private void Record(StageMetric metric)
    {
        _metrics.RemoveAll(m => m.Name == metric.Name);
        _metrics.Add(metric);
    }

    /// <summary>The bound options.</summary>
    public T GetOptions<T>() where T : class =>
        _options as T ?? throw new InvalidOperationException($"Options are {_options.GetType().Name}, not {typeof(T).Name}.");

    /// <summary>Whether the input was connected.</summary>
    public bool HasInput(string name) => _inputs.ContainsKey(name);

    /// <summary>The named input.</summary>
    public StageInput Input(string name) =>
        _inputs.TryGetValue(name, out var input) ? input : throw new KeyNotFoundException($"Stage '{StageId}' has no input '{name}'.");

    /// <summary>The read-only path of the named input (a file, or a directory for models and reports).</summary>
    public string InputPath(string name) => Input(name).Path;

    /// <summary>The content hash of the named input.</summary>
    public string InputHash(string name) => Input(name).Hash;

    /// <summary>Opens a table input.</summary>
    public Task<ParquetTableReader> OpenTableAsync(string name, CancellationToken cancellationToken = default) =>
        ParquetTableReader.OpenAsync(InputPath(name), cancellationToken);

    /// <summary>Where to write the named output: a file path, or an existing empty directory for models and reports.</summary>
    public string OutputPath(string name) =>
        _outputPaths.TryGetValue(name, out var path) ? path : throw new KeyNotFoundException($"Stage '{StageId}' has no output '{name}'.");

    /// <summary>Creates a writer for a table output.</summary>
    public Task<ParquetTableWriter> CreateTableAsync(string name, TableSchema schema, CancellationToken cancellationToken = default) =>
        ParquetTableWriter.CreateAsync(OutputPath(name), schema, cancellationToken);

    private sealed class UnavailableInvoker : IStageInvoker
    {
        public static readonly UnavailableInvoker Instance = new();

        public Task<StageInvocationResult> InvokeAsync(string kind, System.Text.Json.Nodes.JsonObject with, IReadOnlyDictionary<string, string> inputs,
            string label, IIntermediateReporter? reporter, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Nested stage runs are not available in this context.");
    }
}
