using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Core.Hashing;

/// <summary>
/// JSON with sorted keys, no whitespace and invariant numbers (integers as integers, doubles round-trip):
/// the same value always gives the same bytes, whatever wrote it.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The canonical text of a node.</summary>
    public static string Serialize(JsonNode? node)
    {
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(writer, node);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The content hash of the canonical text.</summary>
    public static string Hash(JsonNode? node) => ContentHasher.HashText(Serialize(node));

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray arr:
                writer.WriteStartArray();
                foreach (var item in arr) Write(writer, item);
                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(writer, value);
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value)
    {
        var element = value.GetValueKind();
        switch (element)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(value.GetValue<object>() switch { string s => s, var o => Convert.ToString(o, System.Globalization.CultureInfo.InvariantCulture) });
                break;
            case JsonValueKind.True: writer.WriteBooleanValue(true); break;
            case JsonValueKind.False: writer.WriteBooleanValue(false); break;
            case JsonValueKind.Number:
                // One spelling per number: integral values as integers, others as shortest round-trip doubles.
                if (value.TryGetValue(out long l)) { writer.WriteNumberValue(l); break; }
                double d = value.TryGetValue(out double dd) ? dd : double.Parse(value.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
                if (double.IsFinite(d) && d == Math.Floor(d) && Math.Abs(d) < 9e15) writer.WriteNumberValue((long)d);
                else if (double.IsFinite(d)) writer.WriteNumberValue(d);
                else writer.WriteStringValue(d.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
