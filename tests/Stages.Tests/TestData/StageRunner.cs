using Pipelines.Core;

namespace Pipelines.Stages.Tests.TestData;

/// <summary>Runs a stage outside the runner: inputs are Parquet paths, outputs go to a temp directory.</summary>
internal sealed class StageRunner : IDisposable
{
    public StageRunner()
    {
        Directory = Path.Combine(Path.GetTempPath(), "curation-tests-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public async Task<StageContext> RunAsync(IStage stage, object options, IReadOnlyDictionary<string, string> inputs, string label = "run", long seed = 11)
    {
        var errors = stage.Validate(options).ToArray();
        if (errors.Length > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }

        string outDir = Path.Combine(Directory, label);
        System.IO.Directory.CreateDirectory(outDir);
        var outputs = new Dictionary<string, string>();
        foreach (var port in stage.Outputs)
        {
            string path = Path.Combine(outDir, port.Name + port.FileExtension);
            if (port.IsDirectory)
            {
                System.IO.Directory.CreateDirectory(path);
            }

            outputs[port.Name] = path;
        }

        string scratch = Path.Combine(outDir, "scratch");
        System.IO.Directory.CreateDirectory(scratch);
        var context = new StageContext(new StageContextArgs
        {
            StageId = label,
            Options = options,
            Inputs = inputs.ToDictionary(kv => kv.Key, kv => new StageInput(kv.Key, ArtifactKind.Table, kv.Value, "test")),
            OutputPaths = outputs,
            Seed = seed,
            ScratchDirectory = scratch,
        });
        await stage.RunAsync(context, CancellationToken.None);
        return context;
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
