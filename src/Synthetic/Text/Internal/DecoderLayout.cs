using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Pipelines.Synthetic.Text.Internal;

/// <summary>Which of the common decoder inputs and outputs a loaded ONNX model has.</summary>
internal sealed class DecoderLayout
{
    private DecoderLayout()
    {
    }

    public bool HasAttentionMask { get; private init; }

    public bool HasPositionIds { get; private init; }

    /// <summary>Past/present names per layer; empty when the model has no key/value cache.</summary>
    public IReadOnlyList<(string PastKey, string PastValue, string PresentKey, string PresentValue)> Layers { get; private init; } = [];

    public int Heads { get; private init; }

    public int HeadSize { get; private init; }

    public int? ContextLength { get; private init; }

    public bool HasKvCache => Layers.Count > 0;

    public static DecoderLayout Detect(InferenceSession session)
    {
        var inputs = session.InputMetadata;
        var outputs = session.OutputMetadata;
        if (!inputs.ContainsKey("input_ids"))
        {
            throw new InvalidDataException(
                $"The ONNX model has no 'input_ids' input, so it is not a decoder in the common layout. Its inputs are: {string.Join(", ", inputs.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (!outputs.ContainsKey("logits"))
        {
            throw new InvalidDataException(
                $"The ONNX model has no 'logits' output. Its outputs are: {string.Join(", ", outputs.Keys.Order(StringComparer.Ordinal))}.");
        }

        var layers = new List<(string, string, string, string)>();
        int heads = 0, headSize = 0;
        for (int i = 0; ; i++)
        {
            string n = i.ToString(CultureInfo.InvariantCulture);
            string pastKey = $"past_key_values.{n}.key", pastValue = $"past_key_values.{n}.value";
            if (!inputs.TryGetValue(pastKey, out var meta))
            {
                break;
            }

            string presentKey = $"present.{n}.key", presentValue = $"present.{n}.value";
            foreach (string required in new[] { pastValue })
            {
                if (!inputs.ContainsKey(required))
                {
                    throw new InvalidDataException($"The ONNX model has input '{pastKey}' but not '{required}'.");
                }
            }

            foreach (string required in new[] { presentKey, presentValue })
            {
                if (!outputs.ContainsKey(required))
                {
                    throw new InvalidDataException($"The ONNX model has input '{pastKey}' but no output '{required}' to carry the cache forward.");
                }
            }

            if (meta.ElementDataType != TensorElementType.Float || meta.Dimensions.Length != 4 || meta.Dimensions[1] <= 0 || meta.Dimensions[3] <= 0)
            {
                throw new InvalidDataException(
                    $"The ONNX model's '{pastKey}' must be a float tensor [batch, heads, past_sequence, head_size] with fixed heads and head_size.");
            }

            heads = meta.Dimensions[1];
            headSize = meta.Dimensions[3];
            layers.Add((pastKey, pastValue, presentKey, presentValue));
        }

        var known = new HashSet<string>(StringComparer.Ordinal) { "input_ids", "attention_mask", "position_ids" };
        foreach (var (pk, pv, _, _) in layers)
        {
            known.Add(pk);
            known.Add(pv);
        }

        foreach (string name in inputs.Keys.Order(StringComparer.Ordinal))
        {
            if (!known.Contains(name))
            {
                throw new InvalidDataException(
                    $"The ONNX model has input '{name}', which the generator cannot feed (it feeds input_ids, attention_mask, position_ids and past_key_values.{{i}}.key/value).");
            }
        }

        int? context = null;
        var metadata = session.ModelMetadata.CustomMetadataMap;
        foreach (string key in new[] { "context_length", "max_position_embeddings", "n_positions" })
        {
            if (metadata.TryGetValue(key, out string? text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0)
            {
                context = value;
                break;
            }
        }

        return new DecoderLayout
        {
            HasAttentionMask = inputs.ContainsKey("attention_mask"),
            HasPositionIds = inputs.ContainsKey("position_ids"),
            Layers = layers,
            Heads = heads,
            HeadSize = headSize,
            ContextLength = context,
        };
    }
}
