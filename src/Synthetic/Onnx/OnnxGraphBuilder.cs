using System.Globalization;
using Pipelines.Synthetic.Onnx.Internal;

namespace Pipelines.Synthetic.Onnx;

/// <summary>
/// Builds an ONNX model (IR 10, default opset 21) node by node and writes it as a standard <c>.onnx</c> file
/// that ONNX Runtime loads. Each op method adds one node and returns its output value.
/// </summary>
/// <example>
/// <code>
/// var b = new OnnxGraphBuilder("mlp");
/// var x = b.Input("x", OnnxElementType.Float, "batch", 4);
/// var h = b.Relu(b.Add(b.MatMul(x, b.Floats(w1, 4, 8)), b.Floats(b1, 8)));
/// b.Output(h, "y", OnnxElementType.Float, "batch", 8);
/// b.Save("mlp.onnx");
/// </code>
/// </example>
public sealed class OnnxGraphBuilder
{
    /// <summary>The IR version written (ONNX Runtime 1.31 reads up to 13).</summary>
    public const long IrVersion = 10;

    /// <summary>The default opset of the default (<c>ai.onnx</c>) domain.</summary>
    public const long DefaultOpsetVersion = 21;

    private readonly string _graphName;
    private readonly long _opsetVersion;
    private readonly List<OnnxNode> _nodes = [];
    private readonly List<KeyValuePair<string, OnnxTensor>> _initializers = [];
    private readonly List<OnnxValueInfo> _inputs = [];
    private readonly List<OnnxValueInfo> _outputs = [];
    private readonly List<KeyValuePair<string, string>> _metadata = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _counter;

    /// <summary>Starts an empty graph.</summary>
    /// <param name="graphName">The graph's name (shown by model viewers).</param>
    /// <param name="opsetVersion">The <c>ai.onnx</c> opset; defaults to <see cref="DefaultOpsetVersion"/>.</param>
    public OnnxGraphBuilder(string graphName = "graph", long opsetVersion = DefaultOpsetVersion)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(graphName);
        ArgumentOutOfRangeException.ThrowIfLessThan(opsetVersion, 20L);
        _graphName = graphName;
        _opsetVersion = opsetVersion;
    }

    /// <summary>The number of nodes added so far.</summary>
    public int NodeCount => _nodes.Count;

    /// <summary>Declares a graph input.</summary>
    public OnnxValue Input(string name, OnnxElementType elementType, params OnnxDim[] dims)
    {
        Claim(name);
        _inputs.Add(new OnnxValueInfo(name, elementType, [.. dims]));
        return new OnnxValue(name);
    }

    /// <summary>Declares a graph output named <paramref name="name"/> holding <paramref name="value"/>.</summary>
    public void Output(OnnxValue value, string name, OnnxElementType elementType, params OnnxDim[] dims)
    {
        if (value.Name != name)
        {
            Claim(name);
            AddNode("Identity", [value], [name], []);
        }

        _outputs.Add(new OnnxValueInfo(name, elementType, [.. dims]));
    }

    /// <summary>Adds a named constant (initializer).</summary>
    public OnnxValue Initializer(string name, OnnxTensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Claim(name);
        return AddInitializer(name, tensor);
    }

    /// <summary>Adds a float constant of the given shape (values row-major).</summary>
    public OnnxValue Floats(ReadOnlySpan<float> values, params long[] dims) => AddInitializer(FreshName("const"), OnnxTensor.FromFloats(values, dims));

    /// <summary>Adds an int64 constant of the given shape (values row-major).</summary>
    public OnnxValue Int64s(ReadOnlySpan<long> values, params long[] dims) => AddInitializer(FreshName("const"), OnnxTensor.FromInt64s(values, dims));

    /// <summary>Adds a one-dimensional int64 constant (shapes, axes, indices).</summary>
    public OnnxValue Int64Vector(params long[] values) => Int64s(values, values.Length);

    /// <summary>Adds a float scalar constant.</summary>
    public OnnxValue Scalar(float value) => Floats([value]);

    /// <summary>Adds an int64 scalar constant.</summary>
    public OnnxValue ScalarInt64(long value) => Int64s([value]);

    /// <summary>Records a key/value pair in the model's <c>metadata_props</c>.</summary>
    public void Metadata(string key, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(value);
        _metadata.Add(new(key, value));
    }

    /// <summary>Adds any operator with any number of outputs.</summary>
    /// <param name="opType">The operator, e.g. <c>"Split"</c>.</param>
    /// <param name="inputs">Inputs in the operator's order; <see cref="OnnxValue.None"/> for an omitted optional one.</param>
    /// <param name="outputCount">How many outputs to name.</param>
    /// <param name="attributes">The node's attributes.</param>
    /// <param name="domain">The operator's domain; empty for <c>ai.onnx</c>.</param>
    public OnnxValue[] Node(string opType, IReadOnlyList<OnnxValue> inputs, int outputCount, IReadOnlyList<OnnxAttribute>? attributes = null, string domain = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(opType);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputCount, 1);
        var outputs = new string[outputCount];
        for (int i = 0; i < outputCount; i++)
        {
            outputs[i] = FreshName(opType);
        }

        AddNode(opType, inputs, outputs, attributes ?? [], domain);
        return [.. outputs.Select(o => new OnnxValue(o))];
    }

    /// <summary>Adds a single-output operator.</summary>
    public OnnxValue Node(string opType, params OnnxValue[] inputs) => Node(opType, inputs, 1)[0];

    /// <summary>Adds a single-output operator with attributes.</summary>
    public OnnxValue Node(string opType, IReadOnlyList<OnnxValue> inputs, params OnnxAttribute[] attributes) => Node(opType, inputs, 1, attributes)[0];

    /// <summary>Matrix product with numpy broadcasting.</summary>
    public OnnxValue MatMul(OnnxValue a, OnnxValue b) => Node("MatMul", a, b);

    /// <summary><c>alpha * op(a) @ op(b) + beta * c</c> for 2-D <paramref name="a"/> and <paramref name="b"/>.</summary>
    public OnnxValue Gemm(OnnxValue a, OnnxValue b, OnnxValue c, bool transA = false, bool transB = false, float alpha = 1f, float beta = 1f)
        => Node("Gemm", [a, b, c],
            OnnxAttribute.Int("transA", transA ? 1 : 0), OnnxAttribute.Int("transB", transB ? 1 : 0),
            OnnxAttribute.Float("alpha", alpha), OnnxAttribute.Float("beta", beta));

    /// <summary>Element-wise sum with broadcasting.</summary>
    public OnnxValue Add(OnnxValue a, OnnxValue b) => Node("Add", a, b);

    /// <summary>Element-wise difference with broadcasting.</summary>
    public OnnxValue Sub(OnnxValue a, OnnxValue b) => Node("Sub", a, b);

    /// <summary>Element-wise product with broadcasting.</summary>
    public OnnxValue Mul(OnnxValue a, OnnxValue b) => Node("Mul", a, b);

    /// <summary>Element-wise quotient with broadcasting.</summary>
    public OnnxValue Div(OnnxValue a, OnnxValue b) => Node("Div", a, b);

    /// <summary>Element-wise power with broadcasting.</summary>
    public OnnxValue Pow(OnnxValue a, OnnxValue b) => Node("Pow", a, b);

    /// <summary>Element-wise negation.</summary>
    public OnnxValue Neg(OnnxValue x) => Node("Neg", x);

    /// <summary>Element-wise square root.</summary>
    public OnnxValue Sqrt(OnnxValue x) => Node("Sqrt", x);

    /// <summary>Element-wise exponential.</summary>
    public OnnxValue Exp(OnnxValue x) => Node("Exp", x);

    /// <summary>Element-wise natural logarithm.</summary>
    public OnnxValue Log(OnnxValue x) => Node("Log", x);

    /// <summary>Element-wise error function.</summary>
    public OnnxValue Erf(OnnxValue x) => Node("Erf", x);

    /// <summary>max(x, 0).</summary>
    public OnnxValue Relu(OnnxValue x) => Node("Relu", x);

    /// <summary>Hyperbolic tangent.</summary>
    public OnnxValue Tanh(OnnxValue x) => Node("Tanh", x);

    /// <summary>Logistic sigmoid.</summary>
    public OnnxValue Sigmoid(OnnxValue x) => Node("Sigmoid", x);

    /// <summary>log(1 + exp(x)).</summary>
    public OnnxValue Softplus(OnnxValue x) => Node("Softplus", x);

    /// <summary>GELU, exact (erf) or the tanh approximation (opset 20 <c>Gelu</c>).</summary>
    public OnnxValue Gelu(OnnxValue x, bool tanhApproximation = false)
        => Node("Gelu", [x], OnnxAttribute.String("approximate", tanhApproximation ? "tanh" : "none"));

    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public OnnxValue Softmax(OnnxValue x, long axis = -1) => Node("Softmax", [x], OnnxAttribute.Int("axis", axis));

    /// <summary>Log-softmax along <paramref name="axis"/>.</summary>
    public OnnxValue LogSoftmax(OnnxValue x, long axis = -1) => Node("LogSoftmax", [x], OnnxAttribute.Int("axis", axis));

    /// <summary>Layer normalisation over the dimensions from <paramref name="axis"/> on.</summary>
    public OnnxValue LayerNormalization(OnnxValue x, OnnxValue scale, OnnxValue bias, long axis = -1, float epsilon = 1e-5f)
        => Node("LayerNormalization", [x, scale, bias], OnnxAttribute.Int("axis", axis), OnnxAttribute.Float("epsilon", epsilon));

    /// <summary>Reshape to a shape given as a value (0 copies a dimension, -1 infers one).</summary>
    public OnnxValue Reshape(OnnxValue x, OnnxValue shape) => Node("Reshape", x, shape);

    /// <summary>Reshape to a constant shape (0 copies a dimension, -1 infers one).</summary>
    public OnnxValue Reshape(OnnxValue x, params long[] shape) => Reshape(x, Int64Vector(shape));

    /// <summary>Permutes dimensions.</summary>
    public OnnxValue Transpose(OnnxValue x, params long[] perm) => Node("Transpose", [x], OnnxAttribute.Ints("perm", perm));

    /// <summary>Concatenates along <paramref name="axis"/>.</summary>
    public OnnxValue Concat(long axis, params OnnxValue[] values) => Node("Concat", values, OnnxAttribute.Int("axis", axis));

    /// <summary>Gathers slices of <paramref name="data"/> along <paramref name="axis"/> (embedding lookup).</summary>
    public OnnxValue Gather(OnnxValue data, OnnxValue indices, long axis = 0) => Node("Gather", [data, indices], OnnxAttribute.Int("axis", axis));

    /// <summary>Slices with starts/ends/axes/steps given as values.</summary>
    public OnnxValue Slice(OnnxValue x, OnnxValue starts, OnnxValue ends, OnnxValue axes, OnnxValue steps) => Node("Slice", x, starts, ends, axes, steps);

    /// <summary>Slices with constant starts/ends along constant axes (step 1).</summary>
    public OnnxValue Slice(OnnxValue x, long[] starts, long[] ends, long[] axes)
        => Node("Slice", x, Int64Vector(starts), Int64Vector(ends), Int64Vector(axes));

    /// <summary>Picks <paramref name="x"/> where <paramref name="condition"/> holds, else <paramref name="y"/>.</summary>
    public OnnxValue Where(OnnxValue condition, OnnxValue x, OnnxValue y) => Node("Where", condition, x, y);

    /// <summary>The shape of <paramref name="x"/> as an int64 vector, optionally a [start, end) part of it.</summary>
    public OnnxValue Shape(OnnxValue x, long? start = null, long? end = null)
    {
        var attributes = new List<OnnxAttribute>();
        if (start is long s)
        {
            attributes.Add(OnnxAttribute.Int("start", s));
        }

        if (end is long e)
        {
            attributes.Add(OnnxAttribute.Int("end", e));
        }

        return Node("Shape", [x], 1, attributes)[0];
    }

    /// <summary>Inserts size-1 dimensions at <paramref name="axes"/>.</summary>
    public OnnxValue Unsqueeze(OnnxValue x, params long[] axes) => Node("Unsqueeze", x, Int64Vector(axes));

    /// <summary>Removes size-1 dimensions at <paramref name="axes"/>.</summary>
    public OnnxValue Squeeze(OnnxValue x, params long[] axes) => Node("Squeeze", x, Int64Vector(axes));

    /// <summary>Converts element type.</summary>
    public OnnxValue Cast(OnnxValue x, OnnxElementType to) => Node("Cast", [x], OnnxAttribute.Int("to", (long)to));

    /// <summary>Element-wise equality (bool result).</summary>
    public OnnxValue Equal(OnnxValue a, OnnxValue b) => Node("Equal", a, b);

    /// <summary>Element-wise a &lt; b (bool result).</summary>
    public OnnxValue Less(OnnxValue a, OnnxValue b) => Node("Less", a, b);

    /// <summary>Element-wise a &gt; b (bool result).</summary>
    public OnnxValue Greater(OnnxValue a, OnnxValue b) => Node("Greater", a, b);

    /// <summary>Element-wise logical and.</summary>
    public OnnxValue And(OnnxValue a, OnnxValue b) => Node("And", a, b);

    /// <summary>Element-wise logical not.</summary>
    public OnnxValue Not(OnnxValue x) => Node("Not", x);

    /// <summary>The sequence start, start+delta, ... below limit (scalar inputs).</summary>
    public OnnxValue Range(OnnxValue start, OnnxValue limit, OnnxValue delta) => Node("Range", start, limit, delta);

    /// <summary>Broadcasts <paramref name="x"/> to <paramref name="shape"/>.</summary>
    public OnnxValue Expand(OnnxValue x, OnnxValue shape) => Node("Expand", x, shape);

    /// <summary>Sum over <paramref name="axes"/>.</summary>
    public OnnxValue ReduceSum(OnnxValue x, bool keepDims, params long[] axes)
        => Node("ReduceSum", [x, Int64Vector(axes)], OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Mean over <paramref name="axes"/>.</summary>
    public OnnxValue ReduceMean(OnnxValue x, bool keepDims, params long[] axes)
        => Node("ReduceMean", [x, Int64Vector(axes)], OnnxAttribute.Int("keepdims", keepDims ? 1 : 0));

    /// <summary>Passes the value through (used to give a value a second name).</summary>
    public OnnxValue Identity(OnnxValue x) => Node("Identity", x);

    /// <summary>Serialises the model.</summary>
    public byte[] ToBytes()
    {
        if (_outputs.Count == 0)
        {
            throw new InvalidOperationException("The graph has no outputs; call Output(...) before writing it.");
        }

        return OnnxProtoWriter.WriteModel(
            IrVersion,
            [new(string.Empty, _opsetVersion)],
            "Pipelines.Synthetic",
            typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "0",
            _graphName,
            _nodes,
            _initializers,
            _inputs,
            _outputs,
            _metadata);
    }

    /// <summary>Writes the model to <paramref name="path"/> (replaced if present).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        File.WriteAllBytes(path, ToBytes());
    }

    private void AddNode(string opType, IReadOnlyList<OnnxValue> inputs, string[] outputs, IReadOnlyList<OnnxAttribute> attributes, string domain = "")
    {
        foreach (var input in inputs)
        {
            if (!input.IsNone && !_names.Contains(input.Name))
            {
                throw new ArgumentException($"Node '{opType}' uses value '{input.Name}', which no input, initializer or node of this graph defines.", nameof(inputs));
            }
        }

        string name = "node_" + _nodes.Count.ToString(CultureInfo.InvariantCulture) + "_" + opType;
        _nodes.Add(new OnnxNode(name, opType, domain, [.. inputs.Select(i => i.Name)], outputs, [.. attributes]));
    }

    private OnnxValue AddInitializer(string claimedName, OnnxTensor tensor)
    {
        _initializers.Add(new(claimedName, tensor));
        return new OnnxValue(claimedName);
    }

    // Returns a name no value uses yet and claims it.
    private string FreshName(string prefix)
    {
        string name;
        do
        {
            name = prefix + "_" + (_counter++).ToString(CultureInfo.InvariantCulture);
        }
        while (_names.Contains(name));

        _names.Add(name);
        return name;
    }

    private void Claim(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_names.Add(name))
        {
            throw new ArgumentException($"The graph already has a value named '{name}'.", nameof(name));
        }
    }
}
