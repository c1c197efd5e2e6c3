using System.Text.Json.Nodes;

namespace Pipelines.Core.Definition;

/// <summary>One stage of a pipeline as declared: what it uses, its options and its connections.</summary>
public sealed class StageDefinition
{
    /// <summary>Creates a stage definition.</summary>
    public StageDefinition(string id, string uses, JsonObject? with = null, IReadOnlyDictionary<string, string>? inputs = null,
        IReadOnlyDictionary<string, string?>? outputs = null, string? description = null, SourceLocation? location = null,
        IReadOnlyDictionary<string, SourceLocation>? keyLocations = null, string? withFrom = null)
    {
        WithFrom = withFrom;
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(uses);
        Id = id;
        Uses = uses;
        With = with ?? new JsonObject();
        Inputs = inputs ?? new Dictionary<string, string>();
        Outputs = outputs ?? new Dictionary<string, string?>();
        Description = description;
        Location = location;
        KeyLocations = keyLocations ?? new Dictionary<string, SourceLocation>();
    }

    /// <summary>Unique id within the pipeline.</summary>
    public string Id { get; }

    /// <summary>A stage kind (<c>dedup</c>) or a CLR type name of a user stage.</summary>
    public string Uses { get; }

    /// <summary>Options as written (after <c>${params...}</c> substitution).</summary>
    public JsonObject With { get; }

    /// <summary>
    /// A reference (<c>tune.best_params</c>) to a JSON file output whose <c>params</c> object (or the whole object)
    /// is merged over <see cref="With"/> when the stage runs: dotted keys set nested options.
    /// </summary>
    public string? WithFrom { get; }

    /// <summary>Input name → reference (<c>stage.output</c> or a workspace path).</summary>
    public IReadOnlyDictionary<string, string> Inputs { get; }

    /// <summary>Output name → optional path where the user wants it materialised (null: the default path).</summary>
    public IReadOnlyDictionary<string, string?> Outputs { get; }

    /// <summary>What the stage asks of the machine it runs on; never part of a fingerprint.</summary>
    public StageResources Resources { get; init; } = StageResources.None;

    /// <summary>Free text; never part of a fingerprint.</summary>
    public string? Description { get; }

    /// <summary>Where the stage was declared, when it came from a file.</summary>
    public SourceLocation? Location { get; }

    /// <summary>Where keys were declared: <c>with.threshold</c>, <c>inputs.table</c>, <c>uses</c>.</summary>
    public IReadOnlyDictionary<string, SourceLocation> KeyLocations { get; }

    /// <summary>The location of a key, falling back to the stage's.</summary>
    public SourceLocation? LocationOf(string key) => KeyLocations.TryGetValue(key, out var l) ? l : Location;
}
