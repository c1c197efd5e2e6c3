namespace Pipelines.Training.Packaged.Internal;

/// <summary>A node of an ONNX graph: its operator, the value names it reads and writes, and its integer attributes (<c>transB</c>).</summary>
internal sealed record OnnxGraphNode(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, IReadOnlyDictionary<string, long> IntAttributes);
