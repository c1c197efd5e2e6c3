namespace Pipelines.Training.Packaged.Internal;

/// <summary>A float initializer (weights); other element types keep their shape and type only.</summary>
internal sealed record OnnxInitializer(string Name, int DataType, long[] Shape, float[]? Data)
{
    /// <summary>ONNX <c>TensorProto.DataType.FLOAT</c>.</summary>
    public const int Float = 1;
}
