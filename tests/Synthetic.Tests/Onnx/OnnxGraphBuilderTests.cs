using NUnit.Framework;
using Pipelines.Synthetic.Onnx;

namespace Pipelines.Synthetic.Tests.Onnx;

public sealed class OnnxGraphBuilderTests
{
    private const float Tolerance = 1e-5f;

    [Test]
    public void An_mlp_built_with_known_weights_gives_the_same_outputs_in_onnx_runtime_as_a_plain_computation()
    {
        var random = new Random(7);
        float[] w1 = RandomArray(random, 4 * 8), b1 = RandomArray(random, 8);
        float[] w2t = RandomArray(random, 3 * 8), b2 = RandomArray(random, 3);
        float[] x = RandomArray(random, 5 * 4);

        var b = new OnnxGraphBuilder("mlp");
        var input = b.Input("x", OnnxElementType.Float, "batch", 4);
        var hidden = b.Relu(b.Add(b.MatMul(input, b.Floats(w1, 4, 8)), b.Floats(b1, 8)));
        var logits = b.Gemm(hidden, b.Floats(w2t, 3, 8), b.Floats(b2, 3), transB: true);
        b.Output(b.Softmax(b.Tanh(logits)), "y", OnnxElementType.Float, "batch", 3);

        var (actual, shape) = OrtTestRunner.RunFloat(b.ToBytes(), ("x", x, [5, 4]))["y"];

        Assert.That(shape, Is.EqualTo(new long[] { 5, 3 }));
        var expected = new float[5 * 3];
        for (int r = 0; r < 5; r++)
        {
            var h = new float[8];
            for (int j = 0; j < 8; j++)
            {
                float s = b1[j];
                for (int k = 0; k < 4; k++)
                {
                    s += x[(r * 4) + k] * w1[(k * 8) + j];
                }

                h[j] = Math.Max(0, s);
            }

            var t = new float[3];
            for (int o = 0; o < 3; o++)
            {
                float s = b2[o];
                for (int j = 0; j < 8; j++)
                {
                    s += h[j] * w2t[(o * 8) + j];
                }

                t[o] = MathF.Tanh(s);
            }

            float max = t.Max(), sum = t.Sum(v => MathF.Exp(v - max));
            for (int o = 0; o < 3; o++)
            {
                expected[(r * 3) + o] = MathF.Exp(t[o] - max) / sum;
            }
        }

        Assert.That(MaxAbsDiff(actual, expected), Is.LessThan(Tolerance));
    }

    [Test]
    public void Layer_normalization_and_exact_gelu_match_their_definitions()
    {
        float[] x = [1f, 2f, 4f, -1f, 0.5f, 0.25f, -3f, 2f];
        float[] scale = [1f, 2f, 0.5f, 1f], bias = [0f, 0.1f, -0.1f, 1f];
        var b = new OnnxGraphBuilder();
        var input = b.Input("x", OnnxElementType.Float, "rows", 4);
        var normed = b.LayerNormalization(input, b.Floats(scale, 4), b.Floats(bias, 4), epsilon: 1e-5f);
        b.Output(b.Gelu(normed), "y", OnnxElementType.Float, "rows", 4);

        var (actual, _) = OrtTestRunner.RunFloat(b.ToBytes(), ("x", x, [2, 4]))["y"];

        var expected = new float[8];
        for (int r = 0; r < 2; r++)
        {
            var row = x.AsSpan(r * 4, 4).ToArray();
            double mean = row.Average(v => (double)v);
            double variance = row.Average(v => (v - mean) * (v - mean));
            for (int j = 0; j < 4; j++)
            {
                double n = ((row[j] - mean) / Math.Sqrt(variance + 1e-5) * scale[j]) + bias[j];
                expected[(r * 4) + j] = (float)(0.5 * n * (1 + Erf(n / Math.Sqrt(2))));
            }
        }

        Assert.That(MaxAbsDiff(actual, expected), Is.LessThan(Tolerance));
    }

    [Test]
    public void Reshape_transpose_concat_and_slice_move_elements_where_numpy_would()
    {
        float[] x = [.. Enumerable.Range(0, 6).Select(i => (float)i)];  // [[0,1,2],[3,4,5]]
        var b = new OnnxGraphBuilder();
        var input = b.Input("x", OnnxElementType.Float, 2, 3);
        var transposed = b.Transpose(input, 1, 0);                       // [[0,3],[1,4],[2,5]]
        var joined = b.Concat(0, transposed, b.Floats([9f, 9f], 1, 2));  // 4x2
        var sliced = b.Slice(joined, [1], [4], [0]);                     // rows 1..3
        b.Output(b.Reshape(sliced, -1), "y", OnnxElementType.Float, 6);

        var (actual, shape) = OrtTestRunner.RunFloat(b.ToBytes(), ("x", x, [2, 3]))["y"];

        Assert.That(shape, Is.EqualTo(new long[] { 6 }));
        Assert.That(actual, Is.EqualTo(new float[] { 1, 4, 2, 5, 9, 9 }));
    }

    [Test]
    public void Gather_and_where_look_up_rows_and_pick_by_a_mask()
    {
        float[] table = [10f, 11f, 20f, 21f, 30f, 31f];
        var b = new OnnxGraphBuilder();
        var ids = b.Input("ids", OnnxElementType.Float, 3);
        var rows = b.Gather(b.Floats(table, 3, 2), b.Cast(ids, OnnxElementType.Int64));
        var mask = b.Greater(rows, b.Scalar(15f));
        b.Output(b.Where(mask, rows, b.Scalar(-1f)), "y", OnnxElementType.Float, 3, 2);

        var (actual, _) = OrtTestRunner.RunFloat(b.ToBytes(), ("ids", [2f, 0f, 1f], [3]))["y"];

        Assert.That(actual, Is.EqualTo(new float[] { 30, 31, -1, -1, 20, 21 }));
    }

    [Test]
    public void A_saved_model_file_loads_and_keeps_its_metadata()
    {
        var b = new OnnxGraphBuilder();
        var x = b.Input("x", OnnxElementType.Float, "n");
        b.Output(b.Sigmoid(x), "y", OnnxElementType.Float, "n");
        b.Metadata("purpose", "test");
        string path = Path.Combine(Path.GetTempPath(), $"onnx-builder-{Environment.ProcessId}.onnx");
        try
        {
            b.Save(path);
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
            Assert.That(session.ModelMetadata.CustomMetadataMap["purpose"], Is.EqualTo("test"));
            Assert.That(session.InputMetadata["x"].Dimensions, Is.EqualTo(new[] { -1 }));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Using_a_value_the_graph_does_not_define_is_rejected_with_its_name()
    {
        var b = new OnnxGraphBuilder();
        var ex = Assert.Throws<ArgumentException>(() => b.Relu(new OnnxValue("ghost")));
        Assert.That(ex!.Message, Does.Contain("'ghost'"));
    }

    [Test]
    public void Declaring_two_values_with_the_same_name_is_rejected()
    {
        var b = new OnnxGraphBuilder();
        b.Input("x", OnnxElementType.Float, 1);
        var ex = Assert.Throws<ArgumentException>(() => b.Initializer("x", OnnxTensor.FromFloats([1f], 1)));
        Assert.That(ex!.Message, Does.Contain("'x'"));
    }

    [Test]
    public void A_tensor_whose_values_do_not_fill_its_shape_is_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => OnnxTensor.FromFloats([1f, 2f, 3f], 2, 2));
        Assert.That(ex!.Message, Does.Contain("needs 4 elements, but 3 were given"));
    }

    private static float[] RandomArray(Random random, int n) => [.. Enumerable.Range(0, n).Select(_ => (float)((random.NextDouble() * 2) - 1))];

    private static float MaxAbsDiff(float[] a, float[] b)
    {
        Assert.That(a, Has.Length.EqualTo(b.Length));
        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }

    // Numerical Recipes erfc approximation (fractional error < 1.2e-7), ample for a 1e-5 check.
    private static double Erf(double x)
    {
        double t = 1.0 / (1.0 + (0.5 * Math.Abs(x)));
        double y = 1 - (t * Math.Exp((-x * x) - 1.26551223 + (t * (1.00002368 + (t * (0.37409196 + (t * (0.09678418
            + (t * (-0.18628806 + (t * (0.27886807 + (t * (-1.13520398 + (t * (1.48851587
            + (t * (-0.82215223 + (t * 0.17087277)))))))))))))))))));
        return x >= 0 ? y : -y;
    }
}
