using System.Globalization;
using System.Numerics;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Array = System.Array;
using Apache.Arrow.Types;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// Turns Arrow arrays (as ParquetSharp reads any Parquet file) into this project's column types: integers as int64,
/// floating and decimal numbers as double, text as string, binary as base64 text, dates and timestamps (INT96
/// included) as UTC timestamps, times and durations as text, and nested values (lists, structs, maps) as JSON text.
/// </summary>
internal static class ArrowValues
{
    /// <summary>The column type an Arrow field is read as.</summary>
    /// <exception cref="UserInputException">The type has no reading here; the message names the file and column.</exception>
    public static ColumnType TypeOf(IArrowType type, string file, string column) => type switch
    {
        BooleanType => ColumnType.Boolean,
        Int8Type or Int16Type or Int32Type or Int64Type or UInt8Type or UInt16Type or UInt32Type or UInt64Type => ColumnType.Int64,
        HalfFloatType or FloatType or DoubleType or Decimal32Type or Decimal64Type or Decimal128Type or Decimal256Type => ColumnType.Double,
        Date32Type or Date64Type or TimestampType => ColumnType.Timestamp,
        DictionaryType dictionary => TypeOf(dictionary.ValueType, file, column),
        ListType { ValueDataType: FloatType } or FixedSizeListType { ValueDataType: FloatType } => ColumnType.FloatList, // embeddings stay vectors
        StringType or LargeStringType or StringViewType or BinaryType or LargeBinaryType or BinaryViewType or FixedSizeBinaryType
            or Time32Type or Time64Type or DurationType or NullType or NestedType => ColumnType.String,
        _ => throw new UserInputException($"{file}: column '{column}' has Parquet/Arrow type {type.Name}, which ingest does not read. " +
                                          "Supported: integers, floats, decimals, booleans, text, binary, dates, timestamps, times, durations, lists, structs and maps."),
    };

    /// <summary>Fills a column array of <paramref name="type"/> from <paramref name="array"/>; plain numbers, text and timestamps take a typed path.</summary>
    public static Array Column(IArrowArray array, ColumnType type, string file, string column)
    {
        switch (array)
        {
            case Int64Array a: return Integers(a, file, column);
            case Int32Array a: return Integers(a, file, column);
            case Int16Array a: return Integers(a, file, column);
            case Int8Array a: return Integers(a, file, column);
            case UInt32Array a: return Integers(a, file, column);
            case UInt16Array a: return Integers(a, file, column);
            case UInt8Array a: return Integers(a, file, column);
            case UInt64Array a: return Integers(a, file, column);
            case DoubleArray a: return Floats(a);
            case FloatArray a: return Floats(a);
            case StringArray a:
            {
                var values = new string?[a.Length];
                for (int i = 0; i < values.Length; i++) values[i] = a.IsNull(i) ? null : a.GetString(i);
                return values;
            }
            case TimestampArray a: return Timestamps(a);
            case ListArray a when a.Values is FloatArray floats: return FloatLists(a.Length, a.IsNull, i => (a.ValueOffsets[i], a.ValueOffsets[i + 1]), floats);
            case FixedSizeListArray a when a.Values is FloatArray floats:
            {
                int size = ((FixedSizeListType)a.Data.DataType).ListSize;
                return FloatLists(a.Length, a.IsNull, i => (i * size, (i + 1) * size), floats);
            }
            case BooleanArray a:
            {
                var values = new bool?[a.Length];
                for (int i = 0; i < values.Length; i++) values[i] = a.IsNull(i) ? null : a.GetValue(i);
                return values;
            }
            case DictionaryArray a when a.Indices is Int32Array indices && type == ColumnType.String:
            {
                // Each distinct text decoded once, then shared by every row that holds it.
                var distinct = (string?[])Column(a.Dictionary, type, file, column);
                var positions = indices.Values;
                var values = new string?[a.Length];
                for (int i = 0; i < values.Length; i++)
                    if (!a.IsNull(i)) values[i] = distinct[positions[i]];
                return values;
            }
        }
        int length = array.Length;
        switch (type)
        {
            case ColumnType.Int64:
            {
                var values = new long?[length];
                for (int i = 0; i < length; i++) values[i] = array.IsNull(i) ? null : Int64(array, i, file, column);
                return values;
            }
            case ColumnType.Double:
            {
                var values = new double?[length];
                for (int i = 0; i < length; i++) values[i] = array.IsNull(i) ? null : Double(array, i);
                return values;
            }
            case ColumnType.Boolean:
            {
                var values = new bool?[length];
                for (int i = 0; i < length; i++) values[i] = array.IsNull(i) ? null : Value(array, i) is bool b ? b : null;
                return values;
            }
            case ColumnType.Timestamp:
            {
                var values = new DateTime?[length];
                for (int i = 0; i < length; i++) values[i] = array.IsNull(i) ? null : Timestamp(array, i);
                return values;
            }
            default:
            {
                var values = new string?[length];
                for (int i = 0; i < length; i++) values[i] = array.IsNull(i) ? null : Text(array, i);
                return values;
            }
        }
    }

    private static long?[] Integers<T>(PrimitiveArray<T> array, string file, string column) where T : struct, INumber<T>
    {
        var source = array.Values;
        var values = new long?[array.Length];
        bool nulls = array.NullCount > 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (nulls && array.IsNull(i)) continue;
            try
            {
                values[i] = long.CreateChecked(source[i]);
            }
            catch (OverflowException)
            {
                throw new UserInputException($"{file}: column '{column}' holds {source[i]}, above the largest int64; ingest reads unsigned 64-bit integers as int64.");
            }
        }
        return values;
    }

    private static double?[] Floats<T>(PrimitiveArray<T> array) where T : struct, INumber<T>
    {
        var source = array.Values;
        var values = new double?[array.Length];
        bool nulls = array.NullCount > 0;
        for (int i = 0; i < values.Length; i++)
            if (!nulls || !array.IsNull(i)) values[i] = double.CreateTruncating(source[i]);
        return values;
    }

    private static float[]?[] FloatLists(int length, Func<int, bool> isNull, Func<int, (int Start, int End)> range, FloatArray floats)
    {
        var values = new float[]?[length];
        for (int i = 0; i < length; i++)
        {
            if (isNull(i)) continue;
            var (start, end) = range(i);
            var vector = new float[end - start];
            for (int k = 0; k < vector.Length; k++) vector[k] = floats.GetValue(start + k) ?? float.NaN; // a null element has no float; NaN marks it
            values[i] = vector;
        }
        return values;
    }

    private static DateTime?[] Timestamps(TimestampArray array)
    {
        var type = (TimestampType)array.Data.DataType;
        var source = array.Values;
        var values = new DateTime?[array.Length];
        bool nulls = array.NullCount > 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (nulls && array.IsNull(i)) continue;
            long ticks = type.Unit switch
            {
                TimeUnit.Second => source[i] * TimeSpan.TicksPerSecond,
                TimeUnit.Millisecond => source[i] * TimeSpan.TicksPerMillisecond,
                TimeUnit.Microsecond => source[i] * 10,
                _ => source[i] / 100,
            };
            values[i] = DateTime.UnixEpoch.AddTicks(ticks); // Arrow timestamps count from the Unix epoch in UTC, whatever the zone label
        }
        return values;
    }

    private static long Int64(IArrowArray array, int index, string file, string column) => Value(array, index) switch
    {
        ulong u when u > long.MaxValue => throw new UserInputException($"{file}: column '{column}' row {index + 1} of its batch holds {u}, above the largest int64; ingest reads unsigned 64-bit integers as int64."),
        var v => Convert.ToInt64(v, CultureInfo.InvariantCulture),
    };

    private static double Double(IArrowArray array, int index) => Value(array, index) switch
    {
        Half h => (double)h,
        decimal d => (double)d,
        string s => double.Parse(s, CultureInfo.InvariantCulture), // decimals wider than .NET's decimal
        var v => Convert.ToDouble(v, CultureInfo.InvariantCulture),
    };

    private static DateTime Timestamp(IArrowArray array, int index) => Value(array, index) switch
    {
        DateTimeOffset t => t.UtcDateTime,
        DateTime d => DateTime.SpecifyKind(d, DateTimeKind.Utc),
        var v => throw new InvalidDataException($"unexpected timestamp value {v}"),
    };

    private static string Text(IArrowArray array, int index) => array.Data.DataType is NestedType ? Json(array, index) : Value(array, index) switch
    {
        string s => s,
        byte[] bytes => Convert.ToBase64String(bytes),
        var v => Scalar(v),
    };

    /// <summary>A scalar as text: invariant numbers, ISO 8601 times.</summary>
    private static string Scalar(object? value) => value switch
    {
        null => "",
        TimeSpan t => t.ToString("c", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static string Json(IArrowArray array, int index)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) WriteJson(writer, array, index);
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteJson(Utf8JsonWriter writer, IArrowArray array, int index)
    {
        if (array.IsNull(index))
        {
            writer.WriteNullValue();
            return;
        }
        switch (array)
        {
            case MapArray map:
            {
                var keys = map.Keys;
                var values = map.Values;
                int start = map.ValueOffsets[index], end = map.ValueOffsets[index + 1];
                writer.WriteStartObject();
                for (int i = start; i < end; i++)
                {
                    writer.WritePropertyName(Value(keys, i) is { } key ? Scalar(key) : "");
                    WriteJson(writer, values, i);
                }
                writer.WriteEndObject();
                return;
            }
            case ListArray list:
                WriteList(writer, list.Values, list.ValueOffsets[index], list.ValueOffsets[index + 1]);
                return;
            case LargeListArray list:
                WriteList(writer, list.Values, (int)list.ValueOffsets[index], (int)list.ValueOffsets[index + 1]);
                return;
            case FixedSizeListArray list:
            {
                int size = ((FixedSizeListType)list.Data.DataType).ListSize;
                WriteList(writer, list.Values, index * size, (index + 1) * size);
                return;
            }
            case StructArray structs:
            {
                var fields = ((StructType)structs.Data.DataType).Fields;
                writer.WriteStartObject();
                for (int f = 0; f < fields.Count; f++)
                {
                    writer.WritePropertyName(fields[f].Name);
                    WriteJson(writer, structs.Fields[f], index);
                }
                writer.WriteEndObject();
                return;
            }
        }
        switch (Value(array, index))
        {
            case bool b: writer.WriteBooleanValue(b); break;
            case string s: writer.WriteStringValue(s); break;
            case byte[] bytes: writer.WriteBase64StringValue(bytes); break;
            case long or int or short or sbyte or ulong or uint or ushort or byte:
                writer.WriteRawValue(Scalar(Value(array, index)));
                break;
            case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
            case float f when float.IsFinite(f): writer.WriteNumberValue(f); break;
            case decimal m: writer.WriteNumberValue(m); break;
            case var other: writer.WriteStringValue(Scalar(other)); break;
        }
    }

    private static void WriteList(Utf8JsonWriter writer, IArrowArray values, int start, int end)
    {
        writer.WriteStartArray();
        for (int i = start; i < end; i++) WriteJson(writer, values, i);
        writer.WriteEndArray();
    }

    /// <summary>One element as a .NET value: numbers in their own type, text, bytes, dates and times.</summary>
    private static object? Value(IArrowArray array, int index) => array switch
    {
        DictionaryArray dictionary => Value(dictionary.Dictionary, DictionaryIndex(dictionary.Indices, index)),
        BooleanArray a => a.GetValue(index),
        Int8Array a => a.GetValue(index),
        Int16Array a => a.GetValue(index),
        Int32Array a => a.GetValue(index),
        Int64Array a => a.GetValue(index),
        UInt8Array a => a.GetValue(index),
        UInt16Array a => a.GetValue(index),
        UInt32Array a => a.GetValue(index),
        UInt64Array a => a.GetValue(index),
        HalfFloatArray a => a.GetValue(index),
        FloatArray a => a.GetValue(index),
        DoubleArray a => a.GetValue(index),
        Decimal128Array a => DecimalValue(a.GetString(index)),
        Decimal256Array a => DecimalValue(a.GetString(index)),
        Decimal64Array a => DecimalValue(a.GetString(index)),
        Decimal32Array a => DecimalValue(a.GetString(index)),
        StringArray a => a.GetString(index),
        LargeStringArray a => a.GetString(index),
        StringViewArray a => a.GetString(index),
        BinaryArray a => a.GetBytes(index).ToArray(),
        LargeBinaryArray a => a.GetBytes(index).ToArray(),
        BinaryViewArray a => a.GetBytes(index).ToArray(),
        FixedSizeBinaryArray a => a.GetBytes(index).ToArray(),
        Date32Array a => a.GetDateTime(index),
        Date64Array a => a.GetDateTime(index),
        TimestampArray a => a.GetTimestamp(index),
        Time32Array a => a.GetTime(index) is { } t ? TimeSpan.FromTicks(t.Ticks) : null,
        Time64Array a => a.GetTime(index) is { } t ? TimeSpan.FromTicks(t.Ticks) : null,
        DurationArray a => a.GetTimeSpan(index),
        NullArray => null,
        _ => throw new InvalidDataException($"unexpected Arrow array {array.GetType().Name}"),
    };

    /// <summary>A decimal as .NET's decimal when it fits (28 digits), else as its exact text.</summary>
    private static object? DecimalValue(string? text) =>
        text is null ? null : decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : text;

    private static int DictionaryIndex(IArrowArray indices, int index) => Convert.ToInt32(Value(indices, index), CultureInfo.InvariantCulture);
}
