namespace Pipelines.Synthetic.Onnx.Internal;

/// <summary>A typed graph input or output as it will be written to <c>ValueInfoProto</c>.</summary>
internal sealed record OnnxValueInfo(string Name, OnnxElementType ElementType, OnnxDim[] Dims);
