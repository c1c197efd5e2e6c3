using System.Diagnostics;
using Google.Protobuf;

namespace Pipelines.Synthetic.Onnx.Internal;

/// <summary>
/// Writes the subset of onnx.proto we need with the official field numbers. Nested messages are
/// serialised to their own buffer first so their length prefix is known.
/// </summary>
internal static class OnnxProtoWriter
{
    // ModelProto
    private const int ModelIrVersion = 1;
    private const int ModelProducerName = 2;
    private const int ModelProducerVersion = 3;
    private const int ModelGraph = 7;
    private const int ModelOpsetImport = 8;
    private const int ModelMetadataProps = 14;

    // OperatorSetIdProto / StringStringEntryProto
    private const int OpsetDomain = 1;
    private const int OpsetVersion = 2;
    private const int EntryKey = 1;
    private const int EntryValue = 2;

    // GraphProto
    private const int GraphNode = 1;
    private const int GraphName = 2;
    private const int GraphInitializer = 5;
    private const int GraphInput = 11;
    private const int GraphOutput = 12;

    // NodeProto
    private const int NodeInput = 1;
    private const int NodeOutput = 2;
    private const int NodeName = 3;
    private const int NodeOpType = 4;
    private const int NodeAttribute = 5;
    private const int NodeDomain = 7;

    // AttributeProto
    private const int AttrName = 1;
    private const int AttrF = 2;
    private const int AttrI = 3;
    private const int AttrS = 4;
    private const int AttrT = 5;
    private const int AttrFloats = 7;
    private const int AttrInts = 8;
    private const int AttrType = 20;

    // TensorProto
    private const int TensorDims = 1;
    private const int TensorDataType = 2;
    private const int TensorName = 8;
    private const int TensorRawData = 9;

    // ValueInfoProto / TypeProto / TypeProto.Tensor / TensorShapeProto / Dimension
    private const int ValueInfoName = 1;
    private const int ValueInfoType = 2;
    private const int TypeTensorType = 1;
    private const int TensorTypeElemType = 1;
    private const int TensorTypeShape = 2;
    private const int ShapeDim = 1;
    private const int DimValue = 1;
    private const int DimParam = 2;

    /// <summary>Serialises a whole model to bytes.</summary>
    public static byte[] WriteModel(
        long irVersion,
        IReadOnlyList<KeyValuePair<string, long>> opsets,
        string producerName,
        string producerVersion,
        string graphName,
        IReadOnlyList<OnnxNode> nodes,
        IReadOnlyList<KeyValuePair<string, OnnxTensor>> initializers,
        IReadOnlyList<OnnxValueInfo> inputs,
        IReadOnlyList<OnnxValueInfo> outputs,
        IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        Debug.Assert(BitConverter.IsLittleEndian, "raw_data is little-endian; tensors are copied as they lie in memory.");
        return Message(o =>
        {
            WriteInt64(o, ModelIrVersion, irVersion);
            WriteString(o, ModelProducerName, producerName);
            WriteString(o, ModelProducerVersion, producerVersion);
            WriteMessage(o, ModelGraph, g => WriteGraph(g, graphName, nodes, initializers, inputs, outputs));
            foreach (var (domain, version) in opsets)
            {
                WriteMessage(o, ModelOpsetImport, s =>
                {
                    WriteString(s, OpsetDomain, domain);
                    WriteInt64(s, OpsetVersion, version);
                });
            }

            foreach (var (key, value) in metadata)
            {
                WriteMessage(o, ModelMetadataProps, e =>
                {
                    WriteString(e, EntryKey, key);
                    WriteString(e, EntryValue, value);
                });
            }
        });
    }

    private static void WriteGraph(
        CodedOutputStream o,
        string name,
        IReadOnlyList<OnnxNode> nodes,
        IReadOnlyList<KeyValuePair<string, OnnxTensor>> initializers,
        IReadOnlyList<OnnxValueInfo> inputs,
        IReadOnlyList<OnnxValueInfo> outputs)
    {
        foreach (var node in nodes)
        {
            WriteMessage(o, GraphNode, n => WriteNode(n, node));
        }

        WriteString(o, GraphName, name);
        foreach (var (tensorName, tensor) in initializers)
        {
            WriteMessage(o, GraphInitializer, t => WriteTensor(t, tensorName, tensor));
        }

        foreach (var input in inputs)
        {
            WriteMessage(o, GraphInput, v => WriteValueInfo(v, input));
        }

        foreach (var output in outputs)
        {
            WriteMessage(o, GraphOutput, v => WriteValueInfo(v, output));
        }
    }

    private static void WriteNode(CodedOutputStream o, OnnxNode node)
    {
        foreach (string input in node.Inputs)
        {
            WriteString(o, NodeInput, input, always: true);
        }

        foreach (string output in node.Outputs)
        {
            WriteString(o, NodeOutput, output, always: true);
        }

        WriteString(o, NodeName, node.Name);
        WriteString(o, NodeOpType, node.OpType);
        foreach (var attribute in node.Attributes)
        {
            WriteMessage(o, NodeAttribute, a => WriteAttribute(a, attribute));
        }

        WriteString(o, NodeDomain, node.Domain);
    }

    private static void WriteAttribute(CodedOutputStream o, OnnxAttribute a)
    {
        WriteString(o, AttrName, a.Name);
        switch (a.Kind)
        {
            case OnnxAttributeKind.Float:
                o.WriteTag(AttrF, WireFormat.WireType.Fixed32);
                o.WriteFloat(a.FloatValue);
                break;
            case OnnxAttributeKind.Int:
                WriteInt64(o, AttrI, a.IntValue, always: true);
                break;
            case OnnxAttributeKind.String:
                o.WriteTag(AttrS, WireFormat.WireType.LengthDelimited);
                o.WriteString(a.StringValue!);
                break;
            case OnnxAttributeKind.Tensor:
                WriteMessage(o, AttrT, t => WriteTensor(t, string.Empty, a.TensorValue!));
                break;
            case OnnxAttributeKind.Floats:
                foreach (float f in a.FloatValues)
                {
                    o.WriteTag(AttrFloats, WireFormat.WireType.Fixed32);
                    o.WriteFloat(f);
                }

                break;
            case OnnxAttributeKind.Ints:
                foreach (long i in a.IntValues)
                {
                    WriteInt64(o, AttrInts, i, always: true);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(a), a.Kind, "Unsupported attribute kind.");
        }

        WriteInt64(o, AttrType, (long)a.Kind);
    }

    private static void WriteTensor(CodedOutputStream o, string name, OnnxTensor tensor)
    {
        foreach (long d in tensor.Dims)
        {
            WriteInt64(o, TensorDims, d, always: true);
        }

        WriteInt64(o, TensorDataType, (long)tensor.ElementType);
        WriteString(o, TensorName, name);
        o.WriteTag(TensorRawData, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(tensor.RawData));
    }

    private static void WriteValueInfo(CodedOutputStream o, OnnxValueInfo info)
    {
        WriteString(o, ValueInfoName, info.Name);
        WriteMessage(o, ValueInfoType, type =>
            WriteMessage(type, TypeTensorType, tensorType =>
            {
                WriteInt64(tensorType, TensorTypeElemType, (long)info.ElementType);
                WriteMessage(tensorType, TensorTypeShape, shape =>
                {
                    foreach (var dim in info.Dims)
                    {
                        WriteMessage(shape, ShapeDim, d =>
                        {
                            if (dim.Size is long size)
                            {
                                WriteInt64(d, DimValue, size, always: true);
                            }
                            else
                            {
                                WriteString(d, DimParam, dim.Name!);
                            }
                        });
                    }
                });
            }));
    }

    private static void WriteInt64(CodedOutputStream o, int field, long value, bool always = false)
    {
        if (value == 0 && !always)
        {
            return;
        }

        o.WriteTag(field, WireFormat.WireType.Varint);
        o.WriteInt64(value);
    }

    private static void WriteString(CodedOutputStream o, int field, string value, bool always = false)
    {
        if (value.Length == 0 && !always)
        {
            return;
        }

        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteString(value);
    }

    private static void WriteMessage(CodedOutputStream o, int field, Action<CodedOutputStream> body)
    {
        o.WriteTag(field, WireFormat.WireType.LengthDelimited);
        o.WriteBytes(UnsafeByteOperations.UnsafeWrap(Message(body)));
    }

    private static byte[] Message(Action<CodedOutputStream> body)
    {
        using var buffer = new MemoryStream();
        using (var o = new CodedOutputStream(buffer, leaveOpen: true))
        {
            body(o);
        }

        return buffer.ToArray();
    }
}
