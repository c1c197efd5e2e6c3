using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Definition;

namespace Pipelines.Stages.Tests.Support;

/// <summary>Runs one stage directly (no runner) on files in a temp directory, as the executor would.</summary>
public sealed class StageHarness : IDisposable
{
    public StageHarness()
    {
        Root = Path.Combine(Path.GetTempPath(), "pipelines-stage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public string Write(string name, string text)
    {
        string path = Path.Combine(Root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>Runs the stage; returns output paths by name.</summary>
    public async Task<(IReadOnlyDictionary<string, string> Outputs, IReadOnlyDictionary<string, object> Summary)> RunAsync(IStage stage, string withJson, IReadOnlyDictionary<string, string> inputs, long seed = 1)
    {
        var problems = new List<string>();
        var options = OptionsBinder.Bind(stage.OptionsType, JsonNode.Parse(withJson)!.AsObject(), (_, m) => m.First(), problems);
        if (problems.Count > 0) throw new UserInputException(string.Join(" ", problems));
        string run = Path.Combine(Root, "run-" + Guid.NewGuid().ToString("N")[..8]);
        var summary = new Dictionary<string, object>();
        var outputs = await Pipelines.Core.Running.StageHost.RunAsync(stage, options!, inputs, run, seed, summary: summary);
        return (outputs, summary);
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
