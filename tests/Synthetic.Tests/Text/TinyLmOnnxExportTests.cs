using Microsoft.ML.OnnxRuntime;
using NUnit.Framework;

namespace Pipelines.Synthetic.Tests.Text;

public sealed class TinyLmOnnxExportTests
{
    private const float Tolerance = 1e-4f;

    [Test]
    public void Onnx_logits_equal_torchsharp_logits_for_a_left_padded_batch_without_past()
    {
        var model = TrainedModelFixture.Model;
        var first = model.Tokenizer.Encode("Call me Ishmael. Some");
        var second = model.Tokenizer.Encode("The whale");
        int length = first.Count, batch = 2;
        var ids = new long[batch * length];
        var mask = new long[batch * length];
        for (int t = 0; t < length; t++)
        {
            ids[t] = first[t];
            mask[t] = 1;
            int padded = t - (length - second.Count);
            ids[length + t] = padded >= 0 ? second[padded] : model.Tokenizer.PadId;
            mask[length + t] = padded >= 0 ? 1 : 0;
        }

        var expected = model.ComputeLogits(ids, mask, batch, length);
        var actual = RunOrt(TrainedModelFixture.Onnx, ids, mask, Positions(mask, batch, length, length), batch, length, past: null);

        Assert.That(actual.Logits, Has.Length.EqualTo(batch * length * model.Tokenizer.VocabularySize));
        Assert.That(MaxAbsDiff(actual.Logits, expected), Is.LessThan(Tolerance));
    }

    [Test]
    public void Onnx_logits_fed_through_the_key_value_cache_equal_torchsharp_logits_of_the_whole_sequence()
    {
        var model = TrainedModelFixture.Model;
        long[] ids = [.. model.Tokenizer.Encode("It is a way I have of driving").Select(i => (long)i)];
        int total = ids.Length, prefix = 17, rest = total - prefix, vocabulary = model.Tokenizer.VocabularySize;
        long[] mask = [.. Enumerable.Repeat(1L, total)];
        var expected = model.ComputeLogits(ids, mask, 1, total);

        var head = RunOrt(TrainedModelFixture.Onnx, ids[..prefix], mask[..prefix], [.. Enumerable.Range(0, prefix).Select(i => (long)i)], 1, prefix, past: null);
        var tail = RunOrt(TrainedModelFixture.Onnx, ids[prefix..], mask, [.. Enumerable.Range(prefix, rest).Select(i => (long)i)], 1, rest, head.Present);

        Assert.That(MaxAbsDiff(head.Logits, expected[..(prefix * vocabulary)]), Is.LessThan(Tolerance));
        Assert.That(MaxAbsDiff(tail.Logits, expected[(prefix * vocabulary)..]), Is.LessThan(Tolerance));
        Assert.That(tail.Present[0].Shape, Is.EqualTo(new long[] { 1, TrainedModelFixture.Options.Heads, total, TrainedModelFixture.Options.EmbeddingSize / TrainedModelFixture.Options.Heads }));
    }

    [Test]
    public void The_exported_model_declares_the_common_decoder_inputs_and_outputs()
    {
        using var session = new InferenceSession(TrainedModelFixture.Onnx);
        int layers = TrainedModelFixture.Options.Layers;
        var inputs = new List<string> { "input_ids", "attention_mask", "position_ids" };
        var outputs = new List<string> { "logits" };
        for (int i = 0; i < layers; i++)
        {
            inputs.AddRange([$"past_key_values.{i}.key", $"past_key_values.{i}.value"]);
            outputs.AddRange([$"present.{i}.key", $"present.{i}.value"]);
        }

        Assert.That(session.InputNames, Is.EquivalentTo(inputs));
        Assert.That(session.OutputNames, Is.EquivalentTo(outputs));
        Assert.That(session.InputMetadata["input_ids"].Dimensions, Is.EqualTo(new[] { -1, -1 }));
        Assert.That(session.ModelMetadata.CustomMetadataMap["context_length"], Is.EqualTo("128"));
    }

    internal static long[] Positions(long[] mask, int batch, int length, int count)
    {
        var positions = new long[batch * count];
        for (int b = 0; b < batch; b++)
        {
            long seen = 0;
            for (int t = 0; t < length; t++)
            {
                seen += mask[(b * length) + t];
                if (t >= length - count)
                {
                    positions[(b * count) + t - (length - count)] = Math.Max(0, seen - 1);
                }
            }
        }

        return positions;
    }

    private static (float[] Logits, List<(float[] Data, long[] Shape)> Present) RunOrt(
        byte[] onnx, long[] ids, long[] mask, long[] positions, int batch, int sequence, List<(float[] Data, long[] Shape)>? past)
    {
        var options = TrainedModelFixture.Options;
        int heads = options.Heads, headSize = options.EmbeddingSize / options.Heads;
        using var session = new InferenceSession(onnx);
        var inputs = new Dictionary<string, OrtValue>
        {
            ["input_ids"] = OrtValue.CreateTensorValueFromMemory(ids, [batch, sequence]),
            ["attention_mask"] = OrtValue.CreateTensorValueFromMemory(mask, [batch, mask.Length / batch]),
            ["position_ids"] = OrtValue.CreateTensorValueFromMemory(positions, [batch, sequence]),
        };
        for (int i = 0; i < options.Layers; i++)
        {
            var (key, value) = past is null
                ? ((Array.Empty<float>(), new long[] { batch, heads, 0, headSize }), (Array.Empty<float>(), new long[] { batch, heads, 0, headSize }))
                : (past[2 * i], past[(2 * i) + 1]);
            inputs[$"past_key_values.{i}.key"] = OrtValue.CreateTensorValueFromMemory(key.Item1, key.Item2);
            inputs[$"past_key_values.{i}.value"] = OrtValue.CreateTensorValueFromMemory(value.Item1, value.Item2);
        }

        try
        {
            using var runOptions = new RunOptions();
            using var outputs = session.Run(runOptions, inputs, session.OutputNames);
            var present = new List<(float[], long[])>();
            for (int i = 0; i < options.Layers; i++)
            {
                foreach (string name in new[] { $"present.{i}.key", $"present.{i}.value" })
                {
                    var value = outputs[session.OutputNames.ToList().IndexOf(name)];
                    present.Add((value.GetTensorDataAsSpan<float>().ToArray(), value.GetTensorTypeAndShape().Shape));
                }
            }

            var logits = outputs[session.OutputNames.ToList().IndexOf("logits")].GetTensorDataAsSpan<float>().ToArray();
            return (logits, present);
        }
        finally
        {
            foreach (var value in inputs.Values)
            {
                value.Dispose();
            }
        }
    }

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
}
