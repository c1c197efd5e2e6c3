using System.Globalization;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>Parses text cells into typed values (invariant culture), and infers the narrowest type a column fits.</summary>
internal static class ValueParser
{
    private static readonly string[] TimestampFormats =
        ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ssK"];

    public static bool TryBool(ReadOnlySpan<char> s, out bool value)
    {
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase)) { value = true; return true; }
        if (s.Equals("false", StringComparison.OrdinalIgnoreCase)) { value = false; return true; }
        value = false;
        return false;
    }

    public static bool TryLong(ReadOnlySpan<char> s, out long value) =>
        long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    public static bool TryDouble(ReadOnlySpan<char> s, out double value) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    public static bool TryTimestamp(ReadOnlySpan<char> s, out DateTime value)
    {
        // Cheap shape check first: timestamps start with yyyy-MM-dd.
        if (s.Length < 10 || s[4] != '-' || s[7] != '-') { value = default; return false; }
        return DateTime.TryParseExact(s, TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value);
    }

    /// <summary>Widens <paramref name="current"/> so that <paramref name="cell"/> fits (bool → int64 → double → string; timestamp → string).</summary>
    public static ColumnType? Widen(ColumnType? current, ReadOnlySpan<char> cell)
    {
        switch (current)
        {
            case null:
                if (TryBool(cell, out _)) return ColumnType.Boolean;
                if (TryLong(cell, out _)) return ColumnType.Int64;
                if (TryDouble(cell, out _)) return ColumnType.Double;
                if (TryTimestamp(cell, out _)) return ColumnType.Timestamp;
                return ColumnType.String;
            case ColumnType.Boolean:
                return TryBool(cell, out _) ? ColumnType.Boolean : ColumnType.String;
            case ColumnType.Int64:
                if (TryLong(cell, out _)) return ColumnType.Int64;
                return TryDouble(cell, out _) ? ColumnType.Double : ColumnType.String;
            case ColumnType.Double:
                return TryDouble(cell, out _) ? ColumnType.Double : ColumnType.String;
            case ColumnType.Timestamp:
                return TryTimestamp(cell, out _) ? ColumnType.Timestamp : ColumnType.String;
            default:
                return ColumnType.String;
        }
    }
}
