namespace Pipelines.Synthetic.Onnx.Internal;

/// <summary>One operator node as it will be written to <c>NodeProto</c>.</summary>
internal sealed record OnnxNode(string Name, string OpType, string Domain, string[] Inputs, string[] Outputs, OnnxAttribute[] Attributes);
