namespace Pipelines.Synthetic.Onnx;

/// <summary>A named value in a graph under construction: a graph input, an initializer or a node output.</summary>
/// <param name="Name">The value's name in the graph; empty for an omitted optional input.</param>
public readonly record struct OnnxValue(string Name)
{
    /// <summary>Stands for an omitted optional node input (ONNX spells it as an empty name).</summary>
    public static OnnxValue None => new(string.Empty);

    /// <summary>True when this stands for an omitted optional input.</summary>
    public bool IsNone => string.IsNullOrEmpty(Name);

    /// <inheritdoc />
    public override string ToString() => Name;
}
