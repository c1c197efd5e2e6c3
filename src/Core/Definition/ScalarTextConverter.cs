using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipelines.Core.Definition;

/// <summary>
/// Binds a text option from any YAML scalar: <c>positive_label: 1</c> is the number 1 in YAML, but labels are compared
/// as text, so it reads as <c>"1"</c>. Numbers and booleans are written as stages write column values as text
/// (integers plainly, other numbers round-trip in invariant culture, booleans <c>true</c>/<c>false</c>), so the
/// option matches a label column holding 1, 1.0, "1" or true alike.
/// </summary>
public sealed class ScalarTextConverter : JsonConverter<string>
{
    /// <inheritdoc />
    public override bool HandleNull => false;

    /// <inheritdoc />
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Number when reader.TryGetInt64(out long integer) => integer.ToString(CultureInfo.InvariantCulture),
        JsonTokenType.Number => NumberText(reader.GetDouble()),
        _ => throw new JsonException("expected text, a number or a boolean."),
    };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }

    // 1.0 must read as "1", as a Double column's 1 does.
    private static string NumberText(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
}
