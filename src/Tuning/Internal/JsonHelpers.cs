using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Tuning.Internal;

/// <summary>Reads JSON nodes whether they were parsed (backed by a JsonElement) or built from CLR values.</summary>
internal static class JsonHelpers
{
    public static JsonElement Element(JsonNode node)
        => node is JsonValue v && v.TryGetValue(out JsonElement e) ? e : JsonSerializer.SerializeToElement(node);

    /// <summary>A scalar as a categorical choice: null, bool, string, long (integers) or double (anything with a fraction, exponent or a CLR float).</summary>
    public static object? Scalar(JsonNode? node)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue v && !v.TryGetValue(out JsonElement _))
        {
            if (v.TryGetValue(out double d))
            {
                return d;
            }

            if (v.TryGetValue(out float f))
            {
                return (double)f;
            }

            if (v.TryGetValue(out decimal m))
            {
                return (double)m;
            }

            if (v.TryGetValue(out long l))
            {
                return l;
            }

            if (v.TryGetValue(out int i))
            {
                return (long)i;
            }
        }

        JsonElement e = Element(node);
        return e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText().IndexOfAny(['.', 'e', 'E']) >= 0 ? e.GetDouble() : (object)e.GetInt64(),
            JsonValueKind.Null => null,
            _ => throw new ArgumentException($"Expected null, a bool, a number or a string, but got {e.GetRawText()}."),
        };
    }
}
