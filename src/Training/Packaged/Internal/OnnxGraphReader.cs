using System.Runtime.InteropServices;
using Google.Protobuf;

namespace Pipelines.Training.Packaged.Internal;

/// <summary>
/// Reads the part of onnx.proto the importer needs (field numbers as in the official schema, as
/// Synthetic's <c>OnnxProtoWriter</c> writes them); every other field is skipped.
/// </summary>
internal static class OnnxGraphReader
{
    private const int ModelGraph = 7;
    private const int GraphNode = 1;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int AttributeName = 1;
    private const int AttributeInt = 3;
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorFloatData = 4;
    private const int TensorName = 8;
    private const int TensorRawData = 9;
    private const int ValueInfoName = 1;

    /// <summary>Parses a serialised <c>ModelProto</c>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model with a graph.</exception>
    public static OnnxGraph Read(byte[] model)
    {
        try
        {
            var input = new CodedInputStream(model);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == ModelGraph)
                {
                    return ReadGraph(input.ReadBytes());
                }

                input.SkipLastField();
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"The ONNX model is malformed: {e.Message}", e);
        }

        throw new InvalidDataException("The ONNX model has no graph.");
    }

    private static OnnxGraph ReadGraph(ByteString bytes)
    {
        var nodes = new List<OnnxGraphNode>();
        var initializers = new List<OnnxInitializer>();
        var inputs = new List<string>();
        var outputs = new List<string>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case GraphNode: nodes.Add(ReadNode(input.ReadBytes())); break;
                case GraphInitializer: initializers.Add(ReadTensor(input.ReadBytes())); break;
                case GraphInput: inputs.Add(ReadValueInfoName(input.ReadBytes())); break;
                case GraphOutput: outputs.Add(ReadValueInfoName(input.ReadBytes())); break;
                default: input.SkipLastField(); break;
            }
        }

        return new OnnxGraph(nodes, initializers, inputs, outputs);
    }

    private static OnnxGraphNode ReadNode(ByteString bytes)
    {
        var inputs = new List<string>();
        var outputs = new List<string>();
        var op = "";
        var attributes = new Dictionary<string, long>();
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case NodeInput: inputs.Add(input.ReadString()); break;
                case NodeOutput: outputs.Add(input.ReadString()); break;
                case NodeOpType: op = input.ReadString(); break;
                case NodeAttribute: ReadIntAttribute(input.ReadBytes(), attributes); break;
                default: input.SkipLastField(); break;
            }
        }

        return new OnnxGraphNode(op, inputs, outputs, attributes);
    }

    private static void ReadIntAttribute(ByteString bytes, Dictionary<string, long> attributes)
    {
        string? name = null;
        long? value = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case AttributeName: name = input.ReadString(); break;
                case AttributeInt: value = input.ReadInt64(); break;
                default: input.SkipLastField(); break;
            }
        }

        if (name is not null && value is { } v)
        {
            attributes[name] = v;
        }
    }

    private static OnnxInitializer ReadTensor(ByteString bytes)
    {
        var dims = new List<long>();
        var floats = new List<float>();
        var dataType = 0;
        var name = "";
        ByteString? raw = null;
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            var packed = WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited;
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case TensorDims when packed: ReadPacked(input, s => dims.Add(s.ReadInt64())); break;
                case TensorDims: dims.Add(input.ReadInt64()); break;
                case TensorDataType: dataType = input.ReadInt32(); break;
                case TensorFloatData when packed: ReadPacked(input, s => floats.Add(s.ReadFloat())); break;
                case TensorFloatData: floats.Add(input.ReadFloat()); break;
                case TensorName: name = input.ReadString(); break;
                case TensorRawData: raw = input.ReadBytes(); break;
                default: input.SkipLastField(); break;
            }
        }

        float[]? data = null;
        if (dataType == OnnxInitializer.Float)
        {
            // raw_data is little-endian, as every machine this runs on.
            data = raw is not null ? MemoryMarshal.Cast<byte, float>(raw.Span).ToArray() : floats.ToArray();
        }

        return new OnnxInitializer(name, dataType, dims.ToArray(), data);
    }

    private static string ReadValueInfoName(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            if (WireFormat.GetTagFieldNumber(tag) == ValueInfoName)
            {
                return input.ReadString();
            }

            input.SkipLastField();
        }

        return "";
    }

    private static void ReadPacked(CodedInputStream input, Action<CodedInputStream> readOne)
    {
        var packed = input.ReadBytes().CreateCodedInput();
        while (!packed.IsAtEnd)
        {
            readOne(packed);
        }
    }
}
