using Pipelines.Core;
using Pipelines.Core.Running;

namespace Pipelines.Stages.Tests.TestData;

/// <summary>Runs a stage outside the runner (through Core's <see cref="StageHost"/>); outputs go to a temp directory.</summary>
internal sealed class StageRunner : IDisposable
{
    public StageRunner()
    {
        Directory = Path.Combine(Path.GetTempPath(), "curation-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public async Task<StageRun> RunAsync(IStage stage, object options, IReadOnlyDictionary<string, string> inputs, string label = "run", long seed = 11)
    {
        var summary = new SortedDictionary<string, object>(StringComparer.Ordinal);
        var outputs = await StageHost.RunAsync(stage, options, inputs, Path.Combine(Directory, label), seed, summary: summary);
        return new StageRun(outputs, summary);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp directory is harmless.
        }
    }
}

/// <summary>What a stage run left: its output paths and key figures.</summary>
internal sealed record StageRun(IReadOnlyDictionary<string, string> Outputs, IDictionary<string, object> Summary)
{
    public string OutputPath(string name) => Outputs[name];
}
