using System.Globalization;

namespace Pipelines.Tuning.Internal;

/// <summary>Formatting helpers that always use the invariant culture.</summary>
internal static class Invariant
{
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    public static string Format(object? value) => value switch
    {
        null => "null",
        double d => Format(d),
        float f => Format((double)f),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
