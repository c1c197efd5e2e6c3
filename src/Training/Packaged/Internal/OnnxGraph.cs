namespace Pipelines.Training.Packaged.Internal;

/// <summary>What the importer needs of an ONNX model: nodes, initializers and the graph's input and output names.</summary>
internal sealed record OnnxGraph(
    IReadOnlyList<OnnxGraphNode> Nodes,
    IReadOnlyList<OnnxInitializer> Initializers,
    IReadOnlyList<string> Inputs,
    IReadOnlyList<string> Outputs);
