using NUnit.Framework;
using Pipelines.Stages.Dedup;
using Pipelines.Training.Embed;

namespace Pipelines.Training.Tests.Embed;

/// <summary>
/// Contamination by meaning on real all-MiniLM-L6-v2 embeddings: the second sentence of each hand-written pair is a
/// training row, the first a test row (<c>across</c>). A paraphrase removed beside its own test sentence is a true
/// positive; a hard negative removed is a false positive.
/// </summary>
public class SemanticDedupOnParaphrasesTests
{
    [TestCase(0.75, 0.8, 0.8)]
    [TestCase(0.85, 0.85, 0.6)]
    public void Across_finds_paraphrases_of_test_sentences_and_leaves_most_hard_negatives(double threshold, double minPrecision, double minRecall)
    {
        var paraphrases = ParaphrasePairs.Paraphrases;
        var negatives = ParaphrasePairs.HardNegatives;
        var anchors = paraphrases.Select(p => p.A).ToArray();
        Assert.That(negatives.Select(n => n.A), Is.EqualTo(anchors), "each hard negative shares its anchor with a paraphrase");
        var train = paraphrases.Select(p => p.B).Concat(negatives.Select(n => n.B)).ToArray();

        using var encoder = new SentenceEncoder("all-MiniLM-L6-v2");
        var trainVectors = encoder.Encode(train);
        var anchorVectors = encoder.Encode(anchors);
        var session = new SemanticDedupSession(new SemanticDuplicateOptions { Threshold = threshold, Seed = 1 });
        session.AddRows(trainVectors);
        session.AddAcrossRows(anchorVectors);
        var outcome = session.Complete();

        // The reference decision, all pairs in double: a training row goes when some test row reaches the threshold.
        static double Cos(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();
        var expectedRemoved = Enumerable.Range(0, train.Length).Where(r => anchorVectors.Any(a => Cos(a, trainVectors[r]) >= threshold)).ToArray();
        Assert.That(outcome.Records.Where(r => r.Across).Select(r => (int)r.RemovedRow), Is.EqualTo(expectedRemoved), "LSH + verification = all pairs");

        int truePositives = outcome.Records.Count(r => r.Across && r.RemovedRow < paraphrases.Length && r.KeptRow == r.RemovedRow);
        int removed = outcome.AcrossCount;
        double precision = removed == 0 ? 1 : (double)truePositives / removed;
        double recall = (double)truePositives / paraphrases.Length;
        TestContext.Out.WriteLine($"cosine ≥ {threshold}: removed {removed} of {train.Length}, {truePositives} of {paraphrases.Length} paraphrases beside their own test sentence, " +
            $"{removed - truePositives} hard negatives: precision {precision:F2}, recall {recall:F2}");
        Assert.Multiple(() =>
        {
            Assert.That(precision, Is.GreaterThanOrEqualTo(minPrecision));
            Assert.That(recall, Is.GreaterThanOrEqualTo(minRecall));
        });
    }
}
