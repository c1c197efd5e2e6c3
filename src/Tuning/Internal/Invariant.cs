using System.Globalization;

namespace Pipelines.Tuning.Internal;

/// <summary>Formatting helpers that always use the invariant culture.</summary>
internal static class Invariant
{
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>Six significant digits, for people: logs, tables and hover text (the JSON keeps full precision).</summary>
    public static string Short(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>A parameter value for people: numbers to six significant digits, text as is.</summary>
    public static string Short(object? value) => value switch
    {
        double d => Short(d),
        float f => Short((double)f),
        _ => Format(value),
    };

    public static string Format(object? value) => value switch
    {
        null => "null",
        double d => Format(d),
        float f => Format((double)f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
