using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Training;

/// <summary>Typed reads of <c>config.json</c> fields; a field of the wrong type is an error naming it and its value.</summary>
internal static class ConfigJson
{
    /// <summary>Parses <paramref name="path"/> as a JSON object.</summary>
    /// <exception cref="InvalidDataException">The file is not valid JSON or not an object.</exception>
    public static JsonObject ReadObject(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Model config '{path}' is not valid JSON: {e.Message}", e);
        }

        return root as JsonObject ?? throw new InvalidDataException($"Model config '{path}' must be a JSON object.");
    }

    public static int? Int(JsonObject o, string key) => Element(o, key) is not { } e ? null
        : e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : throw Wrong(key, "an integer", e);

    /// <summary>An integer, or the first of a list of integers (<c>eos_token_id: [128001, 128009]</c>).</summary>
    public static int? FirstInt(JsonObject o, string key) => Element(o, key) is not { } e ? null : e.ValueKind switch
    {
        JsonValueKind.Number when e.TryGetInt32(out var v) => v,
        JsonValueKind.Array when e.GetArrayLength() > 0 && e[0].ValueKind == JsonValueKind.Number && e[0].TryGetInt32(out var first) => first,
        _ => throw Wrong(key, "an integer or a list of integers", e),
    };

    public static double? Double(JsonObject o, string key) => Element(o, key) is not { } e ? null
        : e.ValueKind == JsonValueKind.Number ? e.GetDouble() : throw Wrong(key, "a number", e);

    public static bool? Bool(JsonObject o, string key) => Element(o, key) is not { } e ? null : e.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Wrong(key, "true or false", e),
    };

    public static string? String(JsonObject o, string key) => Element(o, key) is not { } e ? null
        : e.ValueKind == JsonValueKind.String ? e.GetString() : throw Wrong(key, "a string", e);

    // A JSON null reads as absent, as transformers treats it (num_key_value_heads: null = num_attention_heads).
    private static JsonElement? Element(JsonObject o, string key) => o[key] is { } node ? JsonSerializer.SerializeToElement(node) : null;

    private static ArgumentException Wrong(string key, string expected, JsonElement value) =>
        new(string.Create(CultureInfo.InvariantCulture, $"'{key}' must be {expected}. You entered {value.GetRawText()}."));
}
