using NUnit.Framework;
using Pipelines.Training.Embed;
using Pipelines.Training.Tests.Packaged;
using static TorchSharp.torch;

namespace Pipelines.Training.Tests.Embed;

public class SentenceEncoderTests
{
    // Lengths differ, so batches carry padding; more texts than one batch, so the length-sorted batching is exercised.
    private static readonly string[] Texts =
    [
        "The cat sat on the mat",
        "A kitten is resting on a rug",
        "Stock markets fell sharply on Tuesday after the central bank raised interest rates again.",
        "",
        "Hello",
        "The quick brown fox jumps over the lazy dog while the farmer watches from the porch of the old house.",
        "Rain is expected tomorrow.",
    ];

    [Test]
    public void Embeddings_equal_the_TorchSharp_bert_forward_pass_mean_pooled_and_normalised()
    {
        using var encoder = new SentenceEncoder(PackagedModelCache.MiniLm, new SentenceEncoderOptions { BatchSize = 3, MaxLength = 128 });
        var actual = encoder.Encode(Texts);

        // The reference: the TorchSharp BERT on the imported safetensors, one padded batch, MeanPooling in LibTorch.
        var dir = PackagedModelCache.Directory(PackagedModelCache.MiniLm);
        var batch = ModelDirectory.LoadBertTokenizer(dir).EncodeBatch(Texts, maxLength: 128);
        using var model = ModelDirectory.LoadBert(dir);
        model.eval();
        using var noGrad = no_grad();
        using var ids = batch.IdsTensor();
        using var mask = batch.MaskTensor();
        using var hidden = model.forward(ids, mask);
        using var pooled = MeanPooling.PoolNormalized(hidden, mask);
        var expected = pooled.data<float>().ToArray();

        Assert.That(encoder.Dimensions, Is.EqualTo(384));
        var worst = 0.0;
        for (int r = 0; r < Texts.Length; r++)
        {
            Assert.That(actual[r], Has.Length.EqualTo(384));
            for (int c = 0; c < 384; c++)
            {
                worst = Math.Max(worst, Math.Abs(actual[r][c] - expected[(r * 384) + c]));
            }
        }

        TestContext.Out.WriteLine($"max |ORT embed - TorchSharp mean-pooled| = {worst:E2}");
        Assert.That(worst, Is.LessThan(1e-4));
    }

    [Test]
    public void A_paraphrase_scores_about_0_61_and_an_unrelated_sentence_about_0()
    {
        using var encoder = new SentenceEncoder("package:all-MiniLM-L6-v2");
        var e = encoder.Encode(["The cat sat on the mat", "A kitten is resting on a rug", "Stock markets fell sharply on Tuesday"]);
        double Dot(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
        TestContext.Out.WriteLine($"cos(paraphrase) = {Dot(e[0], e[1]):F4}, cos(unrelated) = {Dot(e[0], e[2]):F4}");
        Assert.Multiple(() =>
        {
            Assert.That(Math.Sqrt(Dot(e[0], e[0])), Is.EqualTo(1.0).Within(1e-5));
            Assert.That(Dot(e[0], e[1]), Is.EqualTo(0.608).Within(0.01));
            Assert.That(Math.Abs(Dot(e[0], e[2])), Is.LessThan(0.15));
        });
    }

    [Test]
    public void One_and_two_intra_op_threads_give_the_same_bits()
    {
        using var one = new SentenceEncoder(PackagedModelCache.MiniLm, new SentenceEncoderOptions { Threads = 1 });
        using var two = new SentenceEncoder(PackagedModelCache.MiniLm, new SentenceEncoderOptions { Threads = 2 });
        var a = one.Encode(Texts);
        var b = two.Encode(Texts);
        for (int r = 0; r < Texts.Length; r++)
        {
            Assert.That(b[r].Select(BitConverter.SingleToInt32Bits), Is.EqualTo(a[r].Select(BitConverter.SingleToInt32Bits)), $"text {r}");
        }
    }

    [Test]
    public void Without_normalisation_the_vector_is_the_plain_mean()
    {
        using var plain = new SentenceEncoder(PackagedModelCache.MiniLm, new SentenceEncoderOptions { Normalize = false });
        using var unit = new SentenceEncoder(PackagedModelCache.MiniLm);
        var p = plain.Encode(Texts[..2]);
        var u = unit.Encode(Texts[..2]);
        for (int r = 0; r < 2; r++)
        {
            var norm = Math.Sqrt(p[r].Sum(x => (double)x * x));
            Assert.That(norm, Is.Not.EqualTo(1.0).Within(1e-3));
            Assert.That(p[r].Select(x => x / norm), Is.EqualTo(u[r].Select(x => (double)x)).Within(1e-6));
        }
    }
}
