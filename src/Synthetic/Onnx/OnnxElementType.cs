namespace Pipelines.Synthetic.Onnx;

/// <summary>Tensor element types, numbered as in onnx.proto's <c>TensorProto.DataType</c>.</summary>
public enum OnnxElementType
{
    /// <summary>32-bit float.</summary>
    Float = 1,

    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8 = 2,

    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 3,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,

    /// <summary>Signed 64-bit integer (token ids, shapes, indices).</summary>
    Int64 = 7,

    /// <summary>Boolean, one byte per element.</summary>
    Bool = 9,

    /// <summary>64-bit float.</summary>
    Double = 11,
}
