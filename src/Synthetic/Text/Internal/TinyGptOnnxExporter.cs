using System.Globalization;
using Pipelines.Synthetic.Onnx;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipelines.Synthetic.Text.Internal;

/// <summary>
/// Writes a <see cref="TinyGpt"/> as an ONNX decoder in the common layout: inputs <c>input_ids</c>,
/// <c>attention_mask</c>, <c>position_ids</c>, <c>past_key_values.{i}.key/value</c>; outputs <c>logits</c>
/// and <c>present.{i}.key/value</c>.
/// </summary>
internal static class TinyGptOnnxExporter
{
    public const string ModelType = "pipelines-tiny-gpt";

    /// <param name="model">The trained module.</param>
    /// <param name="withKvCache">False leaves out the past/present tensors (a model that must be re-fed the whole sequence).</param>
    public static byte[] Export(TinyGpt model, bool withKvCache = true)
    {
        var config = model.Config;
        long heads = config.Heads, headSize = config.HeadSize, d = config.EmbeddingSize;
        var b = new OnnxGraphBuilder("tiny_gpt");
        var inputIds = b.Input("input_ids", OnnxElementType.Int64, "batch", "sequence");
        var attentionMask = b.Input("attention_mask", OnnxElementType.Int64, "batch", "total_sequence");
        var positionIds = b.Input("position_ids", OnnxElementType.Int64, "batch", "sequence");
        var past = new (OnnxValue Key, OnnxValue Value)[withKvCache ? config.Layers : 0];
        for (int i = 0; i < past.Length; i++)
        {
            past[i] = (
                b.Input(PastKeyName(i), OnnxElementType.Float, "batch", heads, "past_sequence", headSize),
                b.Input(PastValueName(i), OnnxElementType.Float, "batch", heads, "past_sequence", headSize));
        }

        var x = b.Add(
            b.Gather(Weight(b, "embed_tokens", model.TokenEmbedding.weight!), inputIds),
            b.Gather(Weight(b, "embed_positions", model.PositionEmbedding.weight!), positionIds));

        var bias = AttentionBias(b, inputIds, attentionMask);
        var scale = b.Scalar((float)(1.0 / Math.Sqrt(headSize)));
        for (int i = 0; i < config.Layers; i++)
        {
            var block = model.Blocks[i];
            string p = "layers." + i.ToString(CultureInfo.InvariantCulture) + ".";
            var h = LayerNorm(b, p + "ln1", block.Ln1, x);
            var q = SplitHeads(b, Linear(b, p + "query", block.Query, h), heads, headSize);
            var k = SplitHeads(b, Linear(b, p + "key", block.Key, h), heads, headSize);
            var v = SplitHeads(b, Linear(b, p + "value", block.Value, h), heads, headSize);
            if (withKvCache)
            {
                k = b.Concat(2, past[i].Key, k);
                v = b.Concat(2, past[i].Value, v);
                b.Output(k, PresentKeyName(i), OnnxElementType.Float, "batch", heads, "total_sequence", headSize);
                b.Output(v, PresentValueName(i), OnnxElementType.Float, "batch", heads, "total_sequence", headSize);
            }

            var scores = b.Add(b.Mul(b.MatMul(q, b.Transpose(k, 0, 1, 3, 2)), scale), bias);
            var attended = b.Reshape(b.Transpose(b.MatMul(b.Softmax(scores, -1), v), 0, 2, 1, 3), 0, 0, d);
            x = b.Add(x, Linear(b, p + "out", block.Out, attended));
            var mlp = Linear(b, p + "proj", block.Proj, b.Gelu(Linear(b, p + "fc", block.Fc, LayerNorm(b, p + "ln2", block.Ln2, x))));
            x = b.Add(x, mlp);
        }

        var logits = Linear(b, "lm_head", model.Head, LayerNorm(b, "final_norm", model.FinalNorm, x));
        b.Output(logits, "logits", OnnxElementType.Float, "batch", "sequence", config.VocabularySize);

        b.Metadata("model_type", ModelType);
        b.Metadata("context_length", config.ContextLength.ToString(CultureInfo.InvariantCulture));
        b.Metadata("num_layers", config.Layers.ToString(CultureInfo.InvariantCulture));
        b.Metadata("num_heads", config.Heads.ToString(CultureInfo.InvariantCulture));
        b.Metadata("embedding_size", config.EmbeddingSize.ToString(CultureInfo.InvariantCulture));
        b.Metadata("vocab_size", config.VocabularySize.ToString(CultureInfo.InvariantCulture));
        return b.ToBytes();
    }

    public static string PastKeyName(int layer) => $"past_key_values.{layer.ToString(CultureInfo.InvariantCulture)}.key";

    public static string PastValueName(int layer) => $"past_key_values.{layer.ToString(CultureInfo.InvariantCulture)}.value";

    public static string PresentKeyName(int layer) => $"present.{layer.ToString(CultureInfo.InvariantCulture)}.key";

    public static string PresentValueName(int layer) => $"present.{layer.ToString(CultureInfo.InvariantCulture)}.value";

    // [batch, 1, sequence, total_sequence]: 0 where key j is a real token at or before query i, -1e9 elsewhere.
    private static OnnxValue AttentionBias(OnnxGraphBuilder b, OnnxValue inputIds, OnnxValue attentionMask)
    {
        var sequence = b.Squeeze(b.Shape(inputIds, 1, 2), 0);
        var total = b.Squeeze(b.Shape(attentionMask, 1, 2), 0);
        var one = b.ScalarInt64(1);
        var queryPositions = b.Range(b.Sub(total, sequence), total, one);
        var keyPositions = b.Range(b.ScalarInt64(0), total, one);
        var causal = b.Not(b.Greater(b.Unsqueeze(keyPositions, 0), b.Unsqueeze(queryPositions, 1)));
        var notPadding = b.Unsqueeze(b.Cast(attentionMask, OnnxElementType.Bool), 1, 2);
        return b.Where(b.And(causal, notPadding), b.Scalar(0f), b.Scalar(TinyGpt.MaskValue));
    }

    private static OnnxValue SplitHeads(OnnxGraphBuilder b, OnnxValue x, long heads, long headSize)
        => b.Transpose(b.Reshape(x, 0, 0, heads, headSize), 0, 2, 1, 3);

    private static OnnxValue Linear(OnnxGraphBuilder b, string name, Linear linear, OnnxValue x)
    {
        // torch keeps [out, in]; MatMul wants [in, out].
        var weight = Weight(b, name + ".weight", linear.weight!.t());
        var y = b.MatMul(x, weight);
        return linear.bias is null ? y : b.Add(y, Weight(b, name + ".bias", linear.bias));
    }

    private static OnnxValue LayerNorm(OnnxGraphBuilder b, string name, LayerNorm norm, OnnxValue x)
        => b.LayerNormalization(x, Weight(b, name + ".weight", norm.weight!), Weight(b, name + ".bias", norm.bias!), -1, (float)norm.eps);

    private static OnnxValue Weight(OnnxGraphBuilder b, string name, Tensor tensor)
    {
        using var contiguous = tensor.detach().contiguous().cpu();
        float[] data = contiguous.data<float>().ToArray();
        return b.Initializer(name, OnnxTensor.FromFloats(data, contiguous.shape));
    }
}
