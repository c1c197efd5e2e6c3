using System.Runtime.InteropServices;

namespace Pipelines.Synthetic.Onnx;

/// <summary>A constant tensor stored as little-endian raw bytes, as ONNX's <c>raw_data</c> wants it.</summary>
public sealed class OnnxTensor
{
    private OnnxTensor(OnnxElementType elementType, long[] dims, byte[] rawData)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0)
            {
                throw new ArgumentException($"Tensor dimensions must be non-negative, but got [{string.Join(", ", dims)}].", nameof(dims));
            }

            count *= d;
        }

        int elementSize = ElementSize(elementType);
        if (count * elementSize != rawData.Length)
        {
            throw new ArgumentException(
                $"A tensor of shape [{string.Join(", ", dims)}] needs {count} elements, but {rawData.Length / elementSize} were given.",
                nameof(dims));
        }

        ElementType = elementType;
        Dims = dims;
        RawData = rawData;
    }

    /// <summary>The element type.</summary>
    public OnnxElementType ElementType { get; }

    /// <summary>The shape (empty for a scalar).</summary>
    public IReadOnlyList<long> Dims { get; }

    internal byte[] RawData { get; }

    /// <summary>A float tensor of the given shape, values in row-major order (copied).</summary>
    public static OnnxTensor FromFloats(ReadOnlySpan<float> values, params long[] dims)
        => new(OnnxElementType.Float, [.. dims], MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int64 tensor of the given shape, values in row-major order (copied).</summary>
    public static OnnxTensor FromInt64s(ReadOnlySpan<long> values, params long[] dims)
        => new(OnnxElementType.Int64, [.. dims], MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int32 tensor of the given shape, values in row-major order (copied).</summary>
    public static OnnxTensor FromInt32s(ReadOnlySpan<int> values, params long[] dims)
        => new(OnnxElementType.Int32, [.. dims], MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>A bool tensor of the given shape, values in row-major order (copied).</summary>
    public static OnnxTensor FromBools(ReadOnlySpan<bool> values, params long[] dims)
    {
        var bytes = new byte[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bytes[i] = values[i] ? (byte)1 : (byte)0;
        }

        return new(OnnxElementType.Bool, [.. dims], bytes);
    }

    internal static int ElementSize(OnnxElementType type) => type switch
    {
        OnnxElementType.Float or OnnxElementType.Int32 => 4,
        OnnxElementType.Int64 or OnnxElementType.Double => 8,
        OnnxElementType.UInt8 or OnnxElementType.Int8 or OnnxElementType.Bool => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unsupported ONNX element type."),
    };
}
