using Microsoft.ML.OnnxRuntime;
using NUnit.Framework;
using Pipelines.Training.Tests.Packaged;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests;

public class BertModelTests
{
    // Different lengths, so the batch has padding on the shorter rows.
    private static readonly string[] Sentences =
    [
        "The cat sat on the mat",
        "A kitten is resting on a rug",
        "Stock markets fell sharply on Tuesday after the central bank raised interest rates again.",
    ];

    [TestCase(PackagedModelCache.MiniLm)]
    [TestCase(PackagedModelCache.ArcticXs)]
    public void The_last_hidden_state_equals_onnx_runtime_running_the_original_graph_on_a_padded_batch(string name)
    {
        var dir = PackagedModelCache.Directory(name);
        var batch = ModelDirectory.LoadBertTokenizer(dir).EncodeBatch(Sentences, maxLength: 128);
        Assert.That(batch.AttentionMask, Does.Contain(0L), "the batch must hold padding");

        var reference = OnnxLastHiddenState(PackagedModelCache.OnnxBytes(name), batch);
        using var model = ModelDirectory.LoadBert(dir);
        model.eval();
        using var noGrad = no_grad();
        using var ids = batch.IdsTensor();
        using var mask = batch.MaskTensor();
        using var hidden = model.forward(ids, mask);
        var actual = hidden.data<float>().ToArray();

        var width = model.Config.HiddenSize;
        Assert.That(actual, Has.Length.EqualTo(reference.Length));
        var worst = 0.0;
        for (var position = 0; position < batch.Rows * batch.Columns; position++)
        {
            if (batch.AttentionMask[position] == 0)
            {
                continue; // what a graph computes at padding positions is nobody's contract
            }

            for (var c = 0; c < width; c++)
            {
                worst = Math.Max(worst, Math.Abs(actual[(position * width) + c] - reference[(position * width) + c]));
            }
        }

        TestContext.Out.WriteLine($"{name}: max |TorchSharp - ORT| over real tokens = {worst:E2}");
        Assert.That(worst, Is.LessThan(1e-4));
    }

    [Test]
    public void Mean_pooled_normalised_MiniLM_embeddings_rate_a_paraphrase_close_and_an_unrelated_sentence_far()
    {
        var dir = PackagedModelCache.Directory(PackagedModelCache.MiniLm);
        var batch = ModelDirectory.LoadBertTokenizer(dir).EncodeBatch(
            ["The cat sat on the mat", "A kitten is resting on a rug", "Stock markets fell sharply on Tuesday"], maxLength: 128);
        using var model = ModelDirectory.LoadBert(dir);
        model.eval();
        using var noGrad = no_grad();
        using var ids = batch.IdsTensor();
        using var mask = batch.MaskTensor();
        using var hidden = model.forward(ids, mask);
        using var embeddings = MeanPooling.PoolNormalized(hidden, mask);
        using var cosines = embeddings.matmul(embeddings.t());

        var paraphrase = cosines[0, 1].item<float>();
        var unrelated = cosines[0, 2].item<float>();
        TestContext.Out.WriteLine($"cos(paraphrase) = {paraphrase:F4}, cos(unrelated) = {unrelated:F4}");
        Assert.Multiple(() =>
        {
            Assert.That(embeddings.norm(1).data<float>().ToArray(), Is.All.EqualTo(1f).Within(1e-5));
            Assert.That(paraphrase, Is.EqualTo(0.608).Within(0.01));
            Assert.That(Math.Abs(unrelated), Is.LessThan(0.15));
        });
    }

    [Test]
    public void A_bert_classifier_saved_as_a_model_directory_loads_back_with_the_same_logits()
    {
        var source = PackagedModelCache.Directory(PackagedModelCache.MiniLm);
        var target = Directory.CreateTempSubdirectory("bert-classifier-").FullName;
        try
        {
            manual_seed(3);
            using var original = (BertClassifier)ModelDirectory.LoadSequenceClassifier(source, labels: 3);
            ModelDirectory.SaveModel(target, original, source);
            using var loaded = (BertClassifier)ModelDirectory.LoadSequenceClassifier(target, labels: 3);
            using (var file = SafetensorsFile.Open(Path.Combine(target, ModelDirectory.WeightsFile)))
            {
                Assert.That(file.Contains("bert.encoder.layer.5.output.LayerNorm.bias") && file.Contains("classifier.weight") && file.Contains("classifier.bias"));
            }

            var batch = ModelDirectory.LoadBertTokenizer(target).EncodeBatch(Sentences, maxLength: 16);
            original.eval();
            loaded.eval();
            using var noGrad = no_grad();
            using var ids = batch.IdsTensor();
            using var mask = batch.MaskTensor();
            using var expected = original.forward(ids, mask);
            using var actual = loaded.forward(ids, mask);
            Assert.That(actual.data<float>().ToArray(), Is.EqualTo(expected.data<float>().ToArray()));
        }
        finally
        {
            Directory.Delete(target, recursive: true);
        }
    }

    // ONNX Runtime on the package's own graph: the independent reference. The graph takes input_ids, attention_mask
    // and token_type_ids (int64 [B, T]) and names its first output last_hidden_state.
    private static float[] OnnxLastHiddenState(byte[] onnx, TokenizedBatch batch)
    {
        using var session = new InferenceSession(onnx);
        Assert.That(session.InputMetadata.Keys, Is.EquivalentTo(new[] { "input_ids", "attention_mask", "token_type_ids" }));
        long[] shape = [batch.Rows, batch.Columns];
        using var ids = OrtValue.CreateTensorValueFromMemory(batch.Ids, shape);
        using var mask = OrtValue.CreateTensorValueFromMemory(batch.AttentionMask, shape);
        using var types = OrtValue.CreateTensorValueFromMemory(new long[batch.Ids.Length], shape);
        var inputs = new Dictionary<string, OrtValue> { ["input_ids"] = ids, ["attention_mask"] = mask, ["token_type_ids"] = types };
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, inputs, ["last_hidden_state"]);
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
