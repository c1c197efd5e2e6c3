namespace Pipelines.Synthetic.Onnx;

/// <summary>A node attribute (<c>axis</c>, <c>perm</c>, <c>epsilon</c>...), immutable once made.</summary>
public sealed class OnnxAttribute
{
    private OnnxAttribute(string name, OnnxAttributeKind kind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
        Kind = kind;
    }

    /// <summary>The attribute's name as the operator defines it.</summary>
    public string Name { get; }

    /// <summary>Which payload the attribute carries.</summary>
    public OnnxAttributeKind Kind { get; }

    internal float FloatValue { get; private init; }

    internal long IntValue { get; private init; }

    internal string? StringValue { get; private init; }

    internal float[] FloatValues { get; private init; } = [];

    internal long[] IntValues { get; private init; } = [];

    internal OnnxTensor? TensorValue { get; private init; }

    /// <summary>A single float.</summary>
    public static OnnxAttribute Float(string name, float value) => new(name, OnnxAttributeKind.Float) { FloatValue = value };

    /// <summary>A single integer.</summary>
    public static OnnxAttribute Int(string name, long value) => new(name, OnnxAttributeKind.Int) { IntValue = value };

    /// <summary>A UTF-8 string.</summary>
    public static OnnxAttribute String(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeKind.String) { StringValue = value };
    }

    /// <summary>A list of floats.</summary>
    public static OnnxAttribute Floats(string name, params float[] values) => new(name, OnnxAttributeKind.Floats) { FloatValues = [.. values] };

    /// <summary>A list of integers.</summary>
    public static OnnxAttribute Ints(string name, params long[] values) => new(name, OnnxAttributeKind.Ints) { IntValues = [.. values] };

    /// <summary>A constant tensor (used by <c>Constant</c> and <c>ConstantOfShape</c>).</summary>
    public static OnnxAttribute Tensor(string name, OnnxTensor value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(name, OnnxAttributeKind.Tensor) { TensorValue = value };
    }
}
