namespace Pipelines.Core.Definition;

/// <summary>Values given at run time on top of a pipeline file: <c>--params FILE</c> and <c>--set key=value</c>.</summary>
public sealed record PipelineOverrides
{
    /// <summary>No overrides.</summary>
    public static readonly PipelineOverrides None = new();

    /// <summary><c>key=value</c> pairs; a key starting with a params key sets a param, one starting with a stage id sets that stage's option.</summary>
    public IReadOnlyList<string> Sets { get; init; } = [];

    /// <summary>A YAML file of params merged over the pipeline's own.</summary>
    public string? ParamsFile { get; init; }
}
