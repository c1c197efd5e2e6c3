using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Tuning.Internal;

/// <summary>
/// How the database storages write JSON texts (attributes, distributions) and read them back, in one place so
/// a study copied between SQLite and PostgreSQL holds the same texts.
/// </summary>
internal static class StorageJson
{
    // Distributions repeat across trials (one per parameter), so each text is parsed once per process.
    private static readonly ConcurrentDictionary<string, Distribution> Distributions = new(StringComparer.Ordinal);

    /// <summary>The canonical text of a JSON value (whitespace removed), as attributes are stored.</summary>
    public static string Canonical(string json) => JsonNode.Parse(json)?.ToJsonString() ?? "null";

    /// <summary>The stored text of a distribution.</summary>
    public static string DistributionText(Distribution distribution) => distribution.ToJson().ToJsonString();

    /// <summary>A distribution from its stored text.</summary>
    public static Distribution ParseDistribution(string json)
        => Distributions.GetOrAdd(json, j => Distribution.FromJson(JsonNode.Parse(j)!.AsObject()));

    /// <summary>An attribute value from its stored text, detached from the parsed document.</summary>
    public static JsonElement ParseAttr(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.Clone();
    }

    /// <summary>The stored fail reason (a JSON string) of a trial whose worker stopped beating.</summary>
    public static string StaleReason(DateTime lastHeartbeat) => JsonSerializer.Serialize(InMemoryStorage.StaleMessage(lastHeartbeat));
}
