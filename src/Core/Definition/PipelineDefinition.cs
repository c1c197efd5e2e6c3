using System.Text.Json.Nodes;

namespace Pipelines.Core.Definition;

/// <summary>A pipeline as declared in YAML or C#: both forms produce this same object.</summary>
public sealed class PipelineDefinition
{
    /// <summary>Creates a definition.</summary>
    public PipelineDefinition(string name, long seed, JsonObject? parameters, IReadOnlyList<StageDefinition> stages,
        string? sourcePath = null, string? baseDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(stages);
        Name = name;
        Seed = seed;
        Params = parameters ?? new JsonObject();
        Stages = stages;
        SourcePath = sourcePath;
        BaseDirectory = baseDirectory ?? (sourcePath is null ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(sourcePath))!);
    }

    /// <summary>The pipeline's name (keys its section of <c>pipelines.lock</c>).</summary>
    public string Name { get; }

    /// <summary>The pipeline seed; each stage's seed derives from it and the stage id.</summary>
    public long Seed { get; }

    /// <summary>The params tree (after overrides).</summary>
    public JsonObject Params { get; }

    /// <summary>The <c>--set</c> and <c>--params</c> values it was loaded with (the run log records them).</summary>
    public PipelineOverrides Overrides { get; init; } = PipelineOverrides.None;

    /// <summary>The stages in declaration order.</summary>
    public IReadOnlyList<StageDefinition> Stages { get; }

    /// <summary>The YAML file it came from, if any.</summary>
    public string? SourcePath { get; }

    /// <summary>The directory that relative input paths are resolved against (the YAML file's directory).</summary>
    public string BaseDirectory { get; }

    /// <summary>The name for messages: the file, or the pipeline name.</summary>
    public string DisplaySource => SourcePath ?? $"pipeline '{Name}'";
}
