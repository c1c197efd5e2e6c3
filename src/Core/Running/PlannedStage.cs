using System.Text.Json.Nodes;
using Pipelines.Core.Definition;

namespace Pipelines.Core.Running;

/// <summary>A validated stage ready to fingerprint and run.</summary>
public sealed class PlannedStage
{
    internal PlannedStage(StageDefinition definition, IStage stage, object options, JsonObject optionsJson, long seed,
        IReadOnlyList<PlannedInput> inputs, IReadOnlyList<(StagePort Port, string? UserPath)> outputs, PlannedInput? optionsSource = null)
    {
        OptionsSource = optionsSource;
        Definition = definition;
        Stage = stage;
        Options = options;
        OptionsJson = optionsJson;
        Seed = seed;
        Inputs = inputs;
        Outputs = outputs;
        Parents = inputs.Append(optionsSource).Where(i => i?.UpstreamStage is not null).Select(i => i!.UpstreamStage!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
    }

    /// <summary>The stage id.</summary>
    public string Id => Definition.Id;

    /// <summary>The declaration.</summary>
    public StageDefinition Definition { get; }

    /// <summary>The stage kind implementation.</summary>
    public IStage Stage { get; }

    /// <summary>Bound options.</summary>
    public object Options { get; }

    /// <summary>Bound options as snake_case JSON, defaults included (what the fingerprint hashes).</summary>
    public JsonObject OptionsJson { get; }

    /// <summary>The stage's seed.</summary>
    public long Seed { get; }

    /// <summary>The upstream JSON output whose params are merged over the options at run time (<c>with_from</c>), if any.</summary>
    public PlannedInput? OptionsSource { get; }

    /// <summary>Resolved inputs.</summary>
    public IReadOnlyList<PlannedInput> Inputs { get; }

    /// <summary>Every output of the stage with the user's materialisation path, if any.</summary>
    public IReadOnlyList<(StagePort Port, string? UserPath)> Outputs { get; }

    /// <summary>Ids of the stages whose outputs this one reads.</summary>
    public IReadOnlyList<string> Parents { get; }

    /// <summary>Ids of the stages that read this one's outputs.</summary>
    public IReadOnlyList<string> Children { get; internal set; } = [];
}
