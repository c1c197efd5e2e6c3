using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Pipelines.Core.Hashing;

namespace Pipelines.Core.Running;

/// <summary>
/// Everything that determines a stage run, serialisable: an executor on another machine can run it from this
/// alone (plus the artifact store). Its canonical form hashed is the stage fingerprint.
/// </summary>
public sealed record StageRunRequest
{
    /// <summary>The stage id (not part of the fingerprint: two stages doing the same work share results).</summary>
    [JsonIgnore] public required string StageId { get; init; }
    /// <summary>Stage kind.</summary>
    public required string Kind { get; init; }
    /// <summary>Stage version.</summary>
    public required string Version { get; init; }
    /// <summary>Bound options, defaults included.</summary>
    public required JsonObject Options { get; init; }
    /// <summary>Seed.</summary>
    public required long Seed { get; init; }
    /// <summary>Inputs by name.</summary>
    public required IReadOnlyDictionary<string, RequestInput> Inputs { get; init; }
    /// <summary>Output names.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }
    /// <summary>Library versions the stage depends on.</summary>
    public required IReadOnlyDictionary<string, string> Libraries { get; init; }
    /// <summary>Keys of <see cref="Options"/> the fingerprint leaves out (<see cref="IStage.OptionsOutsideFingerprint"/>).</summary>
    public IReadOnlyList<string> OptionsOutsideFingerprint { get; init; } = [];

    /// <summary>The fingerprint: XxHash128 of the canonical JSON of everything that affects results.</summary>
    public string Fingerprint() => CanonicalJson.Hash(FingerprintDocument());

    /// <summary>The document the fingerprint hashes.</summary>
    public JsonObject FingerprintDocument()
    {
        var inputs = new JsonObject();
        foreach (var (name, input) in Inputs) inputs[name] = input.Hash;
        var libraries = new JsonObject();
        foreach (var (name, version) in Libraries) libraries[name] = version;
        var parameters = (JsonObject)Options.DeepClone();
        foreach (string key in OptionsOutsideFingerprint) parameters.Remove(key);
        return new JsonObject
        {
            ["kind"] = Kind,
            ["version"] = Version,
            ["params"] = parameters,
            ["inputs"] = inputs,
            ["seed"] = Seed,
            ["outputs"] = new JsonArray(Outputs.Order(StringComparer.Ordinal).Select(o => (JsonNode?)o).ToArray()),
            ["libraries"] = libraries,
        };
    }
}

/// <summary>An input of a <see cref="StageRunRequest"/>: its content hash, kind and, for external inputs, its path.</summary>
public sealed record RequestInput(string Hash, ArtifactKind Kind, string? ExternalPath);
