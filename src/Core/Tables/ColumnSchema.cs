namespace Pipelines.Core.Tables;

/// <summary>One column of a table: its name, logical type and whether it may hold nulls.</summary>
public sealed record ColumnSchema(string Name, ColumnType Type, bool Nullable = true)
{
    /// <summary>The CLR element type of this column's arrays (always nullable).</summary>
    public Type ElementType => Type switch
    {
        ColumnType.Boolean => typeof(bool?),
        ColumnType.Int64 => typeof(long?),
        ColumnType.Double => typeof(double?),
        ColumnType.String => typeof(string),
        ColumnType.Timestamp => typeof(DateTime?),
        ColumnType.FloatList => typeof(float[]),
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, "Unknown column type."),
    };

    /// <summary>Creates an empty array for <paramref name="length"/> values of this column.</summary>
    public Array CreateArray(int length) => Type switch
    {
        ColumnType.Boolean => new bool?[length],
        ColumnType.Int64 => new long?[length],
        ColumnType.Double => new double?[length],
        ColumnType.String => new string?[length],
        ColumnType.Timestamp => new DateTime?[length],
        ColumnType.FloatList => new float[]?[length],
        _ => throw new ArgumentOutOfRangeException(nameof(Type), Type, "Unknown column type."),
    };

    /// <summary>The lower-case name used in schemas and messages (<c>int64</c>, <c>string</c>...).</summary>
    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Boolean => "bool",
        ColumnType.Int64 => "int64",
        ColumnType.Double => "double",
        ColumnType.String => "string",
        ColumnType.Timestamp => "timestamp",
        ColumnType.FloatList => "list<float>",
        _ => type.ToString(),
    };

    /// <summary>Parses a type name as written in data-schemas (<c>int</c>, <c>long</c>, <c>float</c>, <c>text</c>...).</summary>
    public static bool TryParseType(string? name, out ColumnType type)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "bool" or "boolean": type = ColumnType.Boolean; return true;
            case "int" or "int64" or "long" or "integer": type = ColumnType.Int64; return true;
            case "double" or "float" or "float64" or "number": type = ColumnType.Double; return true;
            case "string" or "text" or "str": type = ColumnType.String; return true;
            case "timestamp" or "datetime" or "date": type = ColumnType.Timestamp; return true;
            default: type = default; return false;
        }
    }
}
