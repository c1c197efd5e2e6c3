using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Tuning.Internal;

/// <summary>Reads a <c>{type: name, option: value}</c> map (or a bare name) with clear errors for bad or unknown options.</summary>
internal sealed class ConfigReader
{
    private readonly JsonObject _options;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal) { "type" };

    public ConfigReader(JsonNode? node, string where, string fallbackType)
    {
        Where = where;
        switch (node)
        {
            case null:
                Type = fallbackType;
                _options = [];
                break;
            case JsonValue v when JsonHelpers.Element(v).ValueKind == JsonValueKind.String:
                Type = JsonHelpers.Element(v).GetString()!.Trim().ToLowerInvariant();
                _options = [];
                break;
            case JsonObject o:
                Type = o["type"] is JsonValue t && JsonHelpers.Element(t).ValueKind == JsonValueKind.String
                    ? JsonHelpers.Element(t).GetString()!.Trim().ToLowerInvariant()
                    : throw new ArgumentException($"{where}: give 'type' (a name such as {fallbackType}).");
                _options = o;
                break;
            default:
                throw new ArgumentException($"{where}: expected a name or a map with 'type', but got '{node.ToJsonString()}'.");
        }
    }

    public string Where { get; }

    public string Type { get; }

    public JsonNode? Raw(string key)
    {
        _read.Add(key);
        return _options[key];
    }

    public int? Int(string key, int min)
    {
        var node = Raw(key);
        if (node is null)
        {
            return null;
        }

        double d = Number(node, key);
        if (d != Math.Floor(d) || d < min || d > int.MaxValue)
        {
            throw new ArgumentException($"{Where}.{key} must be an integer of at least {min.ToString(CultureInfo.InvariantCulture)}, but got {node.ToJsonString()}.");
        }

        return (int)d;
    }

    public double? Double(string key)
    {
        var node = Raw(key);
        return node is null ? null : Number(node, key);
    }

    public bool? Bool(string key)
    {
        var node = Raw(key);
        if (node is null)
        {
            return null;
        }

        var e = JsonHelpers.Element(node);
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new ArgumentException($"{Where}.{key} must be true or false, but got {node.ToJsonString()}."),
        };
    }

    public string? String(string key)
    {
        var node = Raw(key);
        if (node is null)
        {
            return null;
        }

        var e = JsonHelpers.Element(node);
        return e.ValueKind == JsonValueKind.String
            ? e.GetString()!.Trim().ToLowerInvariant()
            : throw new ArgumentException($"{Where}.{key} must be a string, but got {node.ToJsonString()}.");
    }

    /// <summary>Throws for options that were never read: they are misspelt or do not apply to this type.</summary>
    public void EnsureAllRead(string allowed)
    {
        foreach (var (key, _) in _options)
        {
            if (!_read.Contains(key))
            {
                throw new ArgumentException($"{Where}: unknown option '{key}' for {Type}; expected {allowed}.");
            }
        }
    }

    private double Number(JsonNode node, string key)
    {
        var e = node is JsonValue ? JsonHelpers.Element(node) : default;
        return e.ValueKind == JsonValueKind.Number
            ? e.GetDouble()
            : throw new ArgumentException($"{Where}.{key} must be a number, but got {node.ToJsonString()}.");
    }
}
