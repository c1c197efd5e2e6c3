using System.Text.Json.Nodes;

namespace Pipelines.Core.Definition;

/// <summary>Reads and writes dotted keys (<c>split.test_ratio</c>) in a params tree.</summary>
public static class ParamsTree
{
    /// <summary>The node at a dotted path, or false when any segment is missing.</summary>
    public static bool TryGet(JsonObject root, string dottedPath, out JsonNode? value)
    {
        JsonNode? node = root;
        foreach (var segment in dottedPath.Split('.'))
        {
            if (node is JsonObject obj && obj.TryGetPropertyValue(segment, out var child)) node = child;
            else if (node is JsonArray arr && int.TryParse(segment, out int i) && i >= 0 && i < arr.Count) node = arr[i];
            else { value = null; return false; }
        }
        value = node;
        return true;
    }

    /// <summary>Every dotted path to a value that is not a map (<c>split.test</c>), in document order.</summary>
    public static IEnumerable<string> Paths(JsonObject root, string prefix = "")
    {
        foreach (var (key, value) in root)
        {
            if (value is JsonObject child)
                foreach (var path in Paths(child, prefix + key + ".")) yield return path;
            else yield return prefix + key;
        }
    }

    /// <summary>Sets the value at a dotted path, creating maps on the way.</summary>
    public static void Set(JsonObject root, string dottedPath, JsonNode? value)
    {
        var segments = dottedPath.Split('.');
        var node = root;
        for (int i = 0; i < segments.Length - 1; i++)
        {
            if (node[segments[i]] is not JsonObject child)
            {
                child = new JsonObject();
                node[segments[i]] = child;
            }
            node = child;
        }
        node[segments[^1]] = value;
    }

    /// <summary>Deep-merges <paramref name="overrides"/> into <paramref name="target"/> (maps merge, the rest replaces).</summary>
    public static void Merge(JsonObject target, JsonObject overrides)
    {
        foreach (var (key, value) in overrides.ToArray())
        {
            if (value is JsonObject map && target[key] is JsonObject existing) Merge(existing, map);
            else target[key] = value?.DeepClone();
        }
    }
}
