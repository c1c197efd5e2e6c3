using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;

namespace Pipelines.Core.Running;

/// <summary>
/// Runs stages in this process: binds options from the request, hands the stage its inputs (blobs read in
/// place) and a private scratch directory, then moves the outputs into the store. Nothing reaches the store
/// unless the stage finished.
/// </summary>
public sealed class LocalStageExecutor : IStageExecutor
{
    private readonly StageRegistry _registry;
    private readonly ArtifactCache _cache;
    private readonly string _tempRoot;

    /// <summary>Creates an executor over a registry and a cache; scratch space goes under <paramref name="tempRoot"/>.</summary>
    public LocalStageExecutor(StageRegistry registry, ArtifactCache cache, string tempRoot)
    {
        _registry = registry;
        _cache = cache;
        _tempRoot = tempRoot;
    }

    /// <inheritdoc />
    public async Task<StageRunResult> ExecuteAsync(StageRunRequest request, StageRunCallbacks callbacks, CancellationToken cancellationToken)
    {
        var stage = _registry.Resolve(request.Kind) ?? throw new InvalidOperationException($"Unknown stage kind '{request.Kind}'.");
        var problems = new List<string>();
        var options = OptionsBinder.Bind(stage.OptionsType, (JsonObject)request.Options.DeepClone(), (_, m) => m.First(), problems)
                      ?? throw new UserInputException(string.Join(Environment.NewLine, problems));

        string work = Path.Combine(_tempRoot, $"{request.StageId}-{Guid.NewGuid():N}");
        string scratch = Path.Combine(work, "scratch");
        string outputs = Path.Combine(work, "out");
        Directory.CreateDirectory(scratch);
        Directory.CreateDirectory(outputs);
        try
        {
            var inputs = new Dictionary<string, StageInput>(StringComparer.Ordinal);
            foreach (var (name, input) in request.Inputs)
            {
                bool isDirectory = input.Kind is ArtifactKind.Model or ArtifactKind.Report;
                string path = input.ExternalPath ?? await _cache.ReadablePathAsync(input.Hash, isDirectory, Path.Combine(work, "in"), cancellationToken).ConfigureAwait(false);
                inputs[name] = new StageInput(name, input.Kind, path, input.Hash);
            }
            var ports = stage.Outputs.ToDictionary(p => p.Name, StringComparer.Ordinal);
            var outputPaths = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in request.Outputs)
            {
                var port = ports[name];
                string path = Path.Combine(outputs, name + port.FileExtension);
                if (port.IsDirectory) Directory.CreateDirectory(path);
                outputPaths[name] = path;
            }

            var context = new StageContext(new StageContextArgs
            {
                StageId = request.StageId,
                Options = options,
                Inputs = inputs,
                OutputPaths = outputPaths,
                Seed = request.Seed,
                ScratchDirectory = scratch,
                Logger = callbacks.Logger,
                Progress = callbacks.Progress,
                Device = callbacks.Device,
                Reporter = callbacks.Reporter,
                Invoker = callbacks.Invoker,
                CancellationToken = cancellationToken,
            });
            var clock = Stopwatch.StartNew();
            try
            {
                await stage.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (DataCheckFailedException failed)
            {
                // A failed data check still leaves its report for the user; no run-cache entry is written.
                failed.Outputs = await StoreOutputsAsync(request, ports, outputPaths, requireAll: false, cancellationToken).ConfigureAwait(false);
                throw;
            }
            cancellationToken.ThrowIfCancellationRequested();
            double seconds = clock.Elapsed.TotalSeconds;
            var records = await StoreOutputsAsync(request, ports, outputPaths, requireAll: true, cancellationToken).ConfigureAwait(false);
            var summary = JsonSerializer.SerializeToNode(context.Summary) as JsonObject ?? new JsonObject();
            return new StageRunResult(records, summary, seconds) { Metrics = context.Metrics.ToArray() };
        }
        finally
        {
            TryDelete(work);
        }
    }

    private async Task<Dictionary<string, OutputRecord>> StoreOutputsAsync(StageRunRequest request, Dictionary<string, StagePort> ports,
        Dictionary<string, string> outputPaths, bool requireAll, CancellationToken cancellationToken)
    {
        var records = new Dictionary<string, OutputRecord>(StringComparer.Ordinal);
        foreach (var name in request.Outputs)
        {
            var port = ports[name];
            string path = outputPaths[name];
            bool written = port.IsDirectory ? Directory.EnumerateFileSystemEntries(path).Any() : File.Exists(path);
            if (!written && (!requireAll || !port.Required)) continue;
            string hash = await _cache.PutAsync(path, port.IsDirectory, cancellationToken).ConfigureAwait(false);
            records[name] = new OutputRecord { Hash = hash, Kind = port.Kind, Extension = port.FileExtension };
        }
        return records;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Scratch left behind is harmless; the next `cache gc` removes it.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
