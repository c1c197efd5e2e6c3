namespace Pipelines.Synthetic.Onnx;

/// <summary>Attribute payload kinds, numbered as in onnx.proto's <c>AttributeProto.AttributeType</c>.</summary>
public enum OnnxAttributeKind
{
    /// <summary>One float.</summary>
    Float = 1,

    /// <summary>One 64-bit integer.</summary>
    Int = 2,

    /// <summary>One string.</summary>
    String = 3,

    /// <summary>One tensor.</summary>
    Tensor = 4,

    /// <summary>A list of floats.</summary>
    Floats = 6,

    /// <summary>A list of 64-bit integers.</summary>
    Ints = 7,
}
