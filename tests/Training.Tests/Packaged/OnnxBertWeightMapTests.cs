using NUnit.Framework;
using Pipelines.Training.Packaged.Internal;

namespace Pipelines.Training.Tests.Packaged;

public class OnnxBertWeightMapTests
{
    [Test]
    public void Every_initializer_of_MiniLM_is_one_BERT_parameter_or_a_shape_constant_and_every_parameter_is_covered_once()
    {
        var graph = OnnxGraphReader.Read(PackagedModelCache.OnnxBytes(PackagedModelCache.MiniLm));
        var map = OnnxBertWeightMap.Map(graph);

        Assert.That(graph.Initializers, Has.Count.EqualTo(148));
        var expected = BertWeights.ParameterNames(BertConfig.MiniLmL6).ToList();
        Assert.Multiple(() =>
        {
            // Each initializer is accounted for exactly once: as a parameter or as a graph constant.
            Assert.That(map.SourceToName.Keys.Concat(map.Constants), Is.EquivalentTo(graph.Initializers.Select(i => i.Name)));
            Assert.That(map.SourceToName.Values, Is.Unique);
            Assert.That(map.SourceToName.Values, Is.EquivalentTo(expected));
            Assert.That(map.Parameters.Select(p => p.Name), Is.EquivalentTo(expected));
            Assert.That(expected, Has.Count.EqualTo(103));

            // 36 weights are anonymous MatMul initializers (6 layers × query, key, value, attention output, intermediate, output).
            Assert.That(map.SourceToName.Count(s => !s.Key.Contains('.', StringComparison.Ordinal)), Is.EqualTo(36));

            // The rest are int64 shape constants of Reshape/Concat/Slice and the position_ids buffer, no weights.
            var constants = graph.Initializers.Where(i => map.Constants.Contains(i.Name)).ToList();
            Assert.That(constants, Has.Count.EqualTo(45));
            Assert.That(constants.Select(c => c.DataType), Is.All.EqualTo(7));
        });
    }

    [Test]
    public void A_MatMul_weight_is_transposed_to_the_out_in_layout_of_nn_Linear()
    {
        var graph = OnnxGraphReader.Read(PackagedModelCache.OnnxBytes(PackagedModelCache.MiniLm));
        var map = OnnxBertWeightMap.Map(graph);
        var source = map.SourceToName.Single(s => s.Value == "encoder.layer.0.intermediate.dense.weight").Key;
        var onnx = graph.Initializers.Single(i => i.Name == source);
        var hf = map.Parameters.Single(p => p.Name == "encoder.layer.0.intermediate.dense.weight");

        Assert.That(onnx.Shape, Is.EqualTo(new long[] { 384, 1536 }));
        Assert.That(hf.Shape, Is.EqualTo(new long[] { 1536, 384 }));
        const int In = 5, Out = 1000;
        Assert.That(hf.Data[(Out * 384) + In], Is.EqualTo(onnx.Data![(In * 1536) + Out]));
    }
}
