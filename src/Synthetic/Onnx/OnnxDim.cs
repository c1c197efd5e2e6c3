namespace Pipelines.Synthetic.Onnx;

/// <summary>One dimension of a graph input or output: a fixed size or a named dynamic size (<c>"batch"</c>).</summary>
public readonly record struct OnnxDim
{
    private OnnxDim(long? size, string? name)
    {
        Size = size;
        Name = name;
    }

    /// <summary>The fixed size, or null when the dimension is dynamic.</summary>
    public long? Size { get; }

    /// <summary>The symbolic name of a dynamic dimension, or null when the size is fixed.</summary>
    public string? Name { get; }

    /// <summary>A dimension of fixed size.</summary>
    public static OnnxDim Fixed(long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return new OnnxDim(size, null);
    }

    /// <summary>A dynamic dimension named <paramref name="name"/>; dimensions sharing a name must agree at run time.</summary>
    public static OnnxDim Dynamic(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new OnnxDim(null, name);
    }

    /// <summary>A fixed dimension.</summary>
    public static implicit operator OnnxDim(long size) => Fixed(size);

    /// <summary>A fixed dimension.</summary>
    public static implicit operator OnnxDim(int size) => Fixed(size);

    /// <summary>A dynamic dimension.</summary>
    public static implicit operator OnnxDim(string name) => Dynamic(name);

    /// <inheritdoc />
    public override string ToString() => Name ?? Size!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
