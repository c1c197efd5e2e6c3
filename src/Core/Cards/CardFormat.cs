using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipelines.Core.Cards;

/// <summary>How cards print figures: invariant culture, counts with thousands separators, scores to four places.</summary>
internal static class CardFormat
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Score(double value) => Math.Round(value, 4).ToString(CultureInfo.InvariantCulture);

    public static string Share(double value) => (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %";

    /// <summary>A JSON figure as text: integers as counts, other numbers as scores, anything else as written.</summary>
    public static string Of(JsonNode? node) => node switch
    {
        null => "-",
        JsonValue v when v.TryGetValue(out long l) => Count(l),
        JsonValue v when v.TryGetValue(out double d) => d == Math.Floor(d) && Math.Abs(d) < 1e15 ? Count((long)d) : Score(d),
        JsonValue v when v.TryGetValue(out string? s) => s ?? "-",
        _ => node.ToJsonString(),
    };
}
