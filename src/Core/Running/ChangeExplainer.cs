using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Hashing;

namespace Pipelines.Core.Running;

/// <summary>
/// Says why a stage must run, comparing with its last lock entry, cheapest check first (DVC's order):
/// new, version, params (which keys), inputs (which names), then not in cache.
/// </summary>
public static class ChangeExplainer
{
    /// <summary>The reason a stage whose fingerprint has no usable cache entry must run.</summary>
    public static string Explain(LockedStage? previous, StageRunRequest request, string fingerprint)
    {
        if (previous is null) return "new";
        if (previous.Fingerprint == fingerprint) return "not in cache";
        if (previous.Kind != request.Kind) return "kind changed";
        if (previous.Version != request.Version) return "version changed";
        var changedParams = ChangedKeys(previous.Params, Flatten(request.Options));
        if (changedParams.Count > 0) return "params changed: " + string.Join(", ", changedParams);
        var changedInputs = request.Inputs.Keys.Union(previous.Inputs.Keys, StringComparer.Ordinal)
            .Where(name => !(previous.Inputs.TryGetValue(name, out var old) && request.Inputs.TryGetValue(name, out var now) && old.Hash == now.Hash))
            .Order(StringComparer.Ordinal).ToArray();
        if (changedInputs.Length > 0) return (changedInputs.Length == 1 ? "input changed: " : "inputs changed: ") + string.Join(", ", changedInputs);
        if (previous.Seed != request.Seed) return "seed changed";
        if (!previous.Libraries.OrderBy(p => p.Key).SequenceEqual(request.Libraries.OrderBy(p => p.Key))) return "library versions changed";
        return "definition changed";
    }

    /// <summary>Options flattened to dotted keys with canonical text values (for the lock file and diffs).</summary>
    public static IReadOnlyDictionary<string, string> Flatten(JsonObject options)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        Walk(options, "");
        return result;

        void Walk(JsonNode? node, string prefix)
        {
            if (node is JsonObject obj && obj.Count > 0)
            {
                foreach (var (key, value) in obj) Walk(value, prefix.Length == 0 ? key : prefix + "." + key);
                return;
            }
            result[prefix] = node is JsonValue v && v.TryGetValue(out string? s) ? s : CanonicalJson.Serialize(node);
        }
    }

    private static List<string> ChangedKeys(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after) =>
        before.Keys.Union(after.Keys, StringComparer.Ordinal)
            .Where(k => !(before.TryGetValue(k, out var a) && after.TryGetValue(k, out var b) && a == b))
            .Order(StringComparer.Ordinal).ToList();
}
