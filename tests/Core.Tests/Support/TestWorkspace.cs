using NUnit.Framework;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;

namespace Pipelines.Core.Tests.Support;

/// <summary>A temporary workspace with a runner over the test stages; deleted on dispose.</summary>
public sealed class TestWorkspace : IDisposable
{
    public TestWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "pipelines-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        Workspace = new Workspace(Root);
        Registry = new StageRegistry().AddRange([new SourceStage(), new SuffixStage(), new ConcatStage(), new BestParamsStage(), new OptionalOutputStage(), new ModelCopyStage()]);
        Runner = new PipelineRunner(Workspace, Registry);
        ExecutionLog.Take();
        ExecutionLog.TakeIntervals();
    }

    public string Root { get; }
    public Workspace Workspace { get; }
    public StageRegistry Registry { get; }
    public PipelineRunner Runner { get; }

    /// <summary>Writes a pipeline file into the workspace and loads it.</summary>
    public PipelineDefinition Load(string yaml, PipelineOverrides? overrides = null, string name = "pipeline.yaml")
    {
        string path = Path.Combine(Root, name);
        File.WriteAllText(path, yaml);
        return YamlPipelineLoader.Load(path, overrides);
    }

    public string WriteFile(string relative, string text)
    {
        string path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public Task<RunResult> RunAsync(PipelineDefinition definition, RunOptions? options = null, CancellationToken ct = default) =>
        Runner.RunAsync(definition, options, null, ct);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
