using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipelines.Core.Definition;

/// <summary>Types a plain YAML scalar as YAML 1.2's core schema does: null, bool, integer, float or string.</summary>
public static class ScalarParser
{
    /// <summary>The JSON value of a scalar; quoted scalars are always strings.</summary>
    public static JsonNode? Parse(string value, bool quoted = false)
    {
        if (quoted) return JsonValue.Create(value);
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf": return JsonValue.Create(double.PositiveInfinity);
            case "-.inf" or "-.Inf" or "-.INF": return JsonValue.Create(double.NegativeInfinity);
            case ".nan" or ".NaN" or ".NAN": return JsonValue.Create(double.NaN);
        }
        if (LooksNumeric(value))
        {
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l)) return JsonValue.Create(l);
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) return JsonValue.Create(d);
        }
        return JsonValue.Create(value);
    }

    private static bool LooksNumeric(string s)
    {
        if (s.Length == 0) return false;
        char c = s[0];
        return char.IsAsciiDigit(c) || ((c is '-' or '+' or '.') && s.Length > 1 && (char.IsAsciiDigit(s[1]) || s[1] == '.'));
    }
}
