namespace Pipelines.Training.Packaged.Internal;

/// <summary>
/// Names an exported BERT graph's weights as Hugging Face does. Biases and LayerNorm weights keep their HF names in
/// the export; the linear weights become anonymous <c>MatMul</c> initializers stored [in, out]. Each is named by the
/// graph: the MatMul whose output feeds the <c>Add</c> of the named bias <c>X.bias</c> holds <c>X.weight</c>, and is
/// transposed to nn.Linear's [out, in]. A <c>Gemm</c> (the pooler) names its weight and bias itself.
/// </summary>
internal static class OnnxBertWeightMap
{
    private const string BiasSuffix = ".bias";

    /// <summary>Maps every float initializer to one HF parameter; integer initializers are shape constants of the graph.</summary>
    /// <exception cref="InvalidDataException">A float initializer has no name by this rule, or two share one.</exception>
    public static OnnxBertWeights Map(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var initializers = graph.Initializers.ToDictionary(i => i.Name);
        var consumers = graph.Nodes.SelectMany(n => n.Inputs.Select(input => (input, n))).ToLookup(p => p.input, p => p.n);
        var sources = new Dictionary<string, string>();
        var parameters = new Dictionary<string, SafetensorsTensor>();
        var constants = new List<string>();

        void Add(string initializer, string hfName, bool transpose)
        {
            var tensor = initializers[initializer];
            if (!parameters.TryAdd(hfName, ToTensor(hfName, tensor, transpose)))
            {
                throw new InvalidDataException($"ONNX initializers '{sources.First(s => s.Value == hfName).Key}' and '{initializer}' both map to '{hfName}'.");
            }

            sources.Add(initializer, hfName);
        }

        foreach (var initializer in graph.Initializers)
        {
            if (initializer.DataType != OnnxInitializer.Float)
            {
                constants.Add(initializer.Name);
            }
            else if (IsHfName(initializer.Name))
            {
                Add(initializer.Name, initializer.Name, transpose: IsTransposedGemmWeight(initializer.Name, consumers));
            }
            else if (LinearWeightName(initializer.Name, consumers, initializers) is { } name)
            {
                Add(initializer.Name, name, transpose: true);
            }
            else
            {
                throw new InvalidDataException($"ONNX initializer '{initializer.Name}' [{string.Join(", ", initializer.Shape)}] is anonymous and feeds no MatMul followed by a named bias: it cannot be given a Hugging Face name.");
            }
        }

        return new OnnxBertWeights(parameters.Values.ToList(), sources, constants);
    }

    // HF names are dotted module paths; the exporter's anonymous values are bare numbers.
    private static bool IsHfName(string name) => name.Contains('.', StringComparison.Ordinal);

    private static string? LinearWeightName(string initializer, ILookup<string, OnnxGraphNode> consumers, Dictionary<string, OnnxInitializer> initializers)
    {
        var matmul = consumers[initializer].SingleOrDefault(n => n.OpType == "MatMul" && n.Inputs.Count == 2 && n.Inputs[1] == initializer);
        if (matmul is null)
        {
            return null;
        }

        var biases = consumers[matmul.Outputs[0]]
            .Where(n => n.OpType == "Add")
            .SelectMany(n => n.Inputs)
            .Where(i => i != matmul.Outputs[0] && i.EndsWith(BiasSuffix, StringComparison.Ordinal) && initializers.ContainsKey(i))
            .ToList();
        return biases.Count == 1 ? biases[0][..^BiasSuffix.Length] + ".weight" : null;
    }

    // nn.Linear exports as Gemm(x, W, b, transB=1) with W already [out, in]; without transB it would be [in, out].
    private static bool IsTransposedGemmWeight(string name, ILookup<string, OnnxGraphNode> consumers) =>
        consumers[name].Any(n => n.OpType == "Gemm" && n.Inputs.Count > 1 && n.Inputs[1] == name
            && (!n.IntAttributes.TryGetValue("transB", out var transB) || transB == 0));

    private static SafetensorsTensor ToTensor(string name, OnnxInitializer initializer, bool transpose)
    {
        var data = initializer.Data!;
        if (!transpose)
        {
            return new SafetensorsTensor(name, initializer.Shape, data);
        }

        if (initializer.Shape.Length != 2)
        {
            throw new InvalidDataException($"ONNX initializer '{initializer.Name}' for '{name}' has {initializer.Shape.Length} dimensions; a linear weight has 2.");
        }

        var (rows, columns) = ((int)initializer.Shape[0], (int)initializer.Shape[1]);
        var transposed = new float[data.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                transposed[(c * rows) + r] = data[(r * columns) + c];
            }
        }

        return new SafetensorsTensor(name, [columns, rows], transposed);
    }
}
