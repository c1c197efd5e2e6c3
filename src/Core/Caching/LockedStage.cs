namespace Pipelines.Core.Caching;

/// <summary>A stage's entry in <c>pipelines.lock</c>: what produced its outputs last time.</summary>
public sealed record LockedStage
{
    /// <summary>Stage kind.</summary>
    public required string Kind { get; init; }
    /// <summary>Stage version.</summary>
    public required string Version { get; init; }
    /// <summary>Fingerprint.</summary>
    public required string Fingerprint { get; init; }
    /// <summary>Stage seed.</summary>
    public long Seed { get; init; }
    /// <summary>Options flattened to dotted keys and their canonical text.</summary>
    public required IReadOnlyDictionary<string, string> Params { get; init; }
    /// <summary>Inputs: name → (reference, hash).</summary>
    public required IReadOnlyDictionary<string, (string Reference, string Hash)> Inputs { get; init; }
    /// <summary>Outputs: name → (hash, materialised path).</summary>
    public required IReadOnlyDictionary<string, (string Hash, string Path)> Outputs { get; init; }
    /// <summary>The output whose params were merged over the options (<c>with_from</c>): reference and hash; null when none.</summary>
    public (string Reference, string Hash)? OptionsFrom { get; init; }
    /// <summary>Library versions the stage declared.</summary>
    public IReadOnlyDictionary<string, string> Libraries { get; init; } = new Dictionary<string, string>();
}
