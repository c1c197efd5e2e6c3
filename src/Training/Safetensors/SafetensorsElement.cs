using System.Buffers.Binary;

namespace Pipelines.Training;

/// <summary>Element sizes, names and float conversions for the supported dtypes.</summary>
internal static class SafetensorsElement
{
    public static int Size(SafetensorsDType dtype) => dtype == SafetensorsDType.F32 ? 4 : 2;

    public static string Name(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 => "F32",
        SafetensorsDType.F16 => "F16",
        _ => "BF16",
    };

    public static bool TryParse(string name, out SafetensorsDType dtype)
    {
        switch (name)
        {
            case "F32": dtype = SafetensorsDType.F32; return true;
            case "F16": dtype = SafetensorsDType.F16; return true;
            case "BF16": dtype = SafetensorsDType.BF16; return true;
            default: dtype = default; return false;
        }
    }

    /// <summary>Decodes little-endian elements of <paramref name="dtype"/> into floats.</summary>
    public static void Decode(ReadOnlySpan<byte> source, SafetensorsDType dtype, Span<float> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source.Slice(i * 4, 4));
                }

                break;
            case SafetensorsDType.F16:
                for (var i = 0; i < destination.Length; i++)
                {
                    destination[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(source.Slice(i * 2, 2));
                }

                break;
            default:
                for (var i = 0; i < destination.Length; i++)
                {
                    var bits = (uint)BinaryPrimitives.ReadUInt16LittleEndian(source.Slice(i * 2, 2)) << 16;
                    destination[i] = BitConverter.UInt32BitsToSingle(bits);
                }

                break;
        }
    }

    /// <summary>Encodes floats as little-endian elements of <paramref name="dtype"/> (BF16 rounds to nearest even).</summary>
    public static void Encode(ReadOnlySpan<float> source, SafetensorsDType dtype, Span<byte> destination)
    {
        switch (dtype)
        {
            case SafetensorsDType.F32:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(destination.Slice(i * 4, 4), source[i]);
                }

                break;
            case SafetensorsDType.F16:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(destination.Slice(i * 2, 2), (Half)source[i]);
                }

                break;
            default:
                for (var i = 0; i < source.Length; i++)
                {
                    BinaryPrimitives.WriteUInt16LittleEndian(destination.Slice(i * 2, 2), ToBFloat16(source[i]));
                }

                break;
        }
    }

    private static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x40); // keep it a quiet NaN
        }

        var roundingBias = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + roundingBias) >> 16);
    }
}
