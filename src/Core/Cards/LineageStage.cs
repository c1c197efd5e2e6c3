using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;

namespace Pipelines.Core.Cards;

/// <summary>
/// A stage as its card sees it: what <c>pipelines.lock</c> says produced it, the figures its run-cache entry kept, and
/// its outputs read from the cache by hash (never from the workspace copy, which a user may have touched).
/// </summary>
public sealed class LineageStage
{
    private readonly ArtifactCache _cache;
    private readonly string _scratch;

    internal LineageStage(string id, LockedStage locked, RunCacheEntry? entry, ArtifactCache cache, string scratch)
    {
        Id = id;
        Locked = locked;
        Summary = entry?.Summary ?? [];
        _cache = cache;
        _scratch = scratch;
    }

    /// <summary>The stage id.</summary>
    public string Id { get; }

    /// <summary>Its entry in the lock.</summary>
    public LockedStage Locked { get; }

    /// <summary>The stage kind (<c>dedup</c>).</summary>
    public string Kind => Locked.Kind;

    /// <summary>The key figures it reported when it ran (empty when its run-cache entry is gone).</summary>
    public JsonObject Summary { get; }

    /// <summary>An option as the lock records it (dotted key, canonical text), or null.</summary>
    public string? Param(string key) => Locked.Params.TryGetValue(key, out var value) && value != "null" ? value : null;

    /// <summary>A summary figure as a number, or null.</summary>
    public double? Figure(string key) => Summary[key] is JsonValue v && v.TryGetValue(out double d) ? d : null;

    /// <summary>Where an input came from (<c>dedup.table</c> or a file path), or null.</summary>
    public string? InputFrom(string name) => Locked.Inputs.TryGetValue(name, out var input) ? input.Reference : null;

    /// <summary>
    /// Reads a JSON output, or a JSON file inside a directory output (<c>report</c>, <c>report.json</c>), from the cache;
    /// null when the stage has no such output or the cache no longer holds it.
    /// </summary>
    public async Task<JsonNode?> ReadJsonAsync(string output, string? fileInDirectory = null, CancellationToken cancellationToken = default)
    {
        if (!Locked.Outputs.TryGetValue(output, out var produced)) return null;
        string hash = produced.Hash;
        try
        {
            if (fileInDirectory is not null)
            {
                var manifest = await _cache.ReadManifestAsync(hash, cancellationToken).ConfigureAwait(false);
                var entry = manifest.FirstOrDefault(e => e.Path == fileInDirectory);
                if (entry.Hash is null) return null;
                hash = entry.Hash;
            }
            if (!await _cache.ExistsAsync(hash, isDirectory: false, cancellationToken).ConfigureAwait(false)) return null;
            string path = await _cache.ReadablePathAsync(hash, isDirectory: false, _scratch, cancellationToken).ConfigureAwait(false);
            return JsonNode.Parse(await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null; // a card says "not recorded" rather than failing over one unreadable artifact
        }
    }
}
