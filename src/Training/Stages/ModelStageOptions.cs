namespace Pipelines.Training;

/// <summary>Options of the <c>model</c> stage (YAML <c>with:</c>, snake_case).</summary>
public sealed class ModelStageOptions
{
    /// <summary>Where the model comes from: <c>package:&lt;name&gt;</c>, a pretrained model shipped in a NuGet package (required; e.g. <c>package:all-MiniLM-L6-v2</c>).</summary>
    public string Source { get; set; } = "";
}
