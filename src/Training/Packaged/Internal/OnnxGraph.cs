namespace Pipelines.Training.Packaged.Internal;

/// <summary>A node of an ONNX graph: its operator, the value names it reads and writes, and its integer attributes (<c>transB</c>).</summary>
internal sealed record OnnxGraphNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, long> IntAttributes);

/// <summary>A float initializer (weights); other element types keep their shape and type only.</summary>
internal sealed record OnnxInitializer(string Name, int DataType, long[] Shape, float[]? Data)
{
    /// <summary>ONNX <c>TensorProto.DataType.FLOAT</c>.</summary>
    public const int Float = 1;
}

/// <summary>What the importer needs of an ONNX model: nodes, initializers and the graph's input and output names.</summary>
internal sealed record OnnxGraph(
    IReadOnlyList<OnnxGraphNode> Nodes,
    IReadOnlyList<OnnxInitializer> Initializers,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs);
