using System.Runtime.CompilerServices;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>Typed cell writes into row-group arrays, and the wording of cell errors, shared by the CSV and JSONL paths.</summary>
internal static class CellValues
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static bool TrySet(Array column, int row, ColumnType type, ReadOnlySpan<char> cell)
    {
        switch (type)
        {
            case ColumnType.String: ((string?[])column)[row] = cell.ToString(); return true;
            case ColumnType.Int64 when ValueParser.TryLong(cell, out long l): ((long?[])column)[row] = l; return true;
            case ColumnType.Double when ValueParser.TryDouble(cell, out double d): ((double?[])column)[row] = d; return true;
            case ColumnType.Boolean when ValueParser.TryBool(cell, out bool b): ((bool?[])column)[row] = b; return true;
            case ColumnType.Timestamp when ValueParser.TryTimestamp(cell, out DateTime t): ((DateTime?[])column)[row] = t; return true;
            default: return false;
        }
    }

    public static void EnsureNotNull(TableSchema schema, BatchBuilder builder, string file, long line)
    {
        for (int c = 0; c < schema.Columns.Count; c++)
            if (!schema.Columns[c].Nullable && builder.Column(c).GetValue(builder.Count) is null)
                throw new BadRowException($"{file}:{line}: column '{schema.Columns[c].Name}' is empty but the schema forbids nulls.");
    }

    public static string Describe(ColumnType type) => type switch
    {
        ColumnType.Int64 => "an integer",
        ColumnType.Double => "a number",
        ColumnType.Boolean => "true or false",
        ColumnType.Timestamp => "a timestamp (yyyy-MM-dd[THH:mm:ss])",
        _ => "text",
    };

    public static string Clip(ReadOnlySpan<char> text) => text.Length <= 40 ? text.ToString() : text[..40].ToString() + "…";
}
