using System.Runtime.CompilerServices;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryLong(ReadOnlySpan<char> s, out long value) =>
        TryPlainInteger(s, out value) || long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TryDouble(ReadOnlySpan<char> s, out double value) =>
        TryPlainDecimal(s, out value) || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>The common shape <c>[-]digits</c> with at most 18 digits (cannot overflow); anything else falls back to the BCL.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryPlainInteger(ReadOnlySpan<char> s, out long value)
    {
        value = 0;
        int start = s.Length > 0 && s[0] == '-' ? 1 : 0;
        int digits = s.Length - start;
        if (digits is < 1 or > 18) return false;
        long magnitude = 0;
        for (int i = start; i < s.Length; i++)
        {
            uint digit = (uint)(s[i] - '0');
            if (digit > 9) return false;
            magnitude = magnitude * 10 + digit;
        }
        value = start == 1 ? -magnitude : magnitude;
        return true;
    }

    /// <summary>
    /// The common shape <c>[-]digits[.digits]</c> with at most 15 digits: the digits as an integer and the power of ten
    /// are both exact doubles, so one correctly rounded division gives exactly the double that <c>double.Parse</c>
    /// gives (Clinger's fast path) at a fraction of the cost. Anything else falls back to the BCL.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TryPlainDecimal(ReadOnlySpan<char> s, out double value)
    {
        value = 0;
        int start = s.Length > 0 && s[0] == '-' ? 1 : 0;
        long mantissa = 0;
        int digits = 0, decimals = -1;
        for (int i = start; i < s.Length; i++)
        {
            uint digit = (uint)(s[i] - '0');
            if (digit <= 9)
            {
                if (++digits > 15) return false;
                mantissa = mantissa * 10 + digit;
                if (decimals >= 0) decimals++;
            }
            else if (s[i] == '.' && decimals < 0) decimals = 0;
            else return false;
        }
        if (digits == 0) return false;
        double magnitude = decimals > 0 ? mantissa / PowersOfTen[decimals] : mantissa;
        value = start == 1 ? -magnitude : magnitude;
        return true;
    }

    private static readonly double[] PowersOfTen = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

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
