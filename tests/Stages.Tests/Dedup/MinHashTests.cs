using Pipelines.Stages.Dedup;

namespace Pipelines.Stages.Tests.Dedup;

public class MinHashTests
{
    [Test]
    public void Lsh_parameters_for_threshold_0_8_and_128_permutations_match_datasketch()
    {
        // datasketch MinHashLSH(threshold=0.8, num_perm=128) uses 9 bands of 13 rows (ekzhu/datasketch#209).
        Assert.That(LshParameters.Optimal(0.8, 128), Is.EqualTo(new LshParameters(9, 13)));
        var stageDefaults = new DedupOptions();
        Assert.That(LshParameters.Optimal(0.8, 128, stageDefaults.FalsePositiveWeight, stageDefaults.FalseNegativeWeight), Is.EqualTo(new LshParameters(11, 11)),
            "the stage's recall-favouring default weights");
    }

    [Test]
    public void Lsh_parameters_agree_with_a_fine_midpoint_rule_search()
    {
        foreach (double threshold in new[] { 0.5, 0.7, 0.9 })
        {
            var expected = BruteForce(threshold, 64);
            Assert.That(LshParameters.Optimal(threshold, 64), Is.EqualTo(expected), $"threshold {threshold}");
        }
    }

    [Test]
    public void Simd_and_scalar_signatures_are_identical()
    {
        var hasher = new MinHasher(133, seed: 42); // 133: exercises the scalar tail after the vector blocks
        var shingles = new ShingleHasher(3).Hash("the quick brown fox jumps over the lazy dog again and again").ToArray();
        var simd = new uint[133];
        var scalar = new uint[133];
        hasher.Compute(shingles, simd);
        hasher.Compute(shingles, scalar, allowSimd: false);
        Assert.That(simd, Is.EqualTo(scalar));
    }

    [Test]
    public void Estimated_jaccard_is_within_four_standard_errors_of_the_exact_value()
    {
        var words = Enumerable.Range(0, 200).Select(i => "w" + i).ToArray();
        string a = string.Join(' ', words);
        var edited = (string[])words.Clone();
        for (int i = 0; i < 200; i += 10)
        {
            edited[i] = "x" + i;
        }

        string b = string.Join(' ', edited);
        var shingler = new ShingleHasher(2);
        var setA = shingler.HashSet(a);
        var setB = shingler.HashSet(b);
        double exact = JaccardSimilarity.Exact(setA, setB);
        var hasher = new MinHasher(256, seed: 7);
        var sigA = new uint[256];
        var sigB = new uint[256];
        hasher.Compute(setA, sigA);
        hasher.Compute(setB, sigB);
        double estimate = JaccardSimilarity.Estimate(sigA, sigB);
        double standardError = Math.Sqrt(exact * (1 - exact) / 256);
        Assert.That(exact, Is.EqualTo(160.0 / 238.0).Within(1e-12)); // 20 edits break 40 of 199 bigrams
        Assert.That(estimate, Is.EqualTo(exact).Within(4 * standardError));
    }

    [Test]
    public void A_text_shorter_than_the_ngram_is_one_shingle_and_an_empty_text_has_none()
    {
        var shingler = new ShingleHasher(5);
        Assert.That(shingler.Hash("two words").Length, Is.EqualTo(1));
        Assert.That(shingler.Hash("  \t ").Length, Is.EqualTo(0));
        Assert.That(shingler.Hash("a b c d e f g").Length, Is.EqualTo(3));
    }

    [Test]
    public void Union_find_roots_are_the_smallest_member_whatever_the_order()
    {
        var uf = new UnionFind(6);
        uf.Union(5, 3);
        uf.Union(3, 4);
        uf.Union(4, 1);
        Assert.That(new[] { uf.Find(5), uf.Find(4), uf.Find(3), uf.Find(1) }, Is.All.EqualTo(1));
        Assert.That(uf.Find(2), Is.EqualTo(2));
        Assert.That(uf.Union(5, 1), Is.False);
    }

    private static LshParameters BruteForce(double threshold, int numPerm)
    {
        const int steps = 20000;
        double best = double.MaxValue;
        var result = default(LshParameters);
        for (int b = 1; b <= numPerm; b++)
        {
            for (int r = 1; r <= numPerm / b; r++)
            {
                var p = new LshParameters(b, r);
                double fp = 0, fn = 0;
                for (int k = 0; k < steps; k++)
                {
                    double s = threshold * (k + 0.5) / steps;
                    fp += p.CandidateProbability(s) * threshold / steps;
                    double t = threshold + ((1 - threshold) * (k + 0.5) / steps);
                    fn += (1 - p.CandidateProbability(t)) * (1 - threshold) / steps;
                }

                double error = (0.5 * fp) + (0.5 * fn);
                if (error < best - 1e-12)
                {
                    best = error;
                    result = p;
                }
            }
        }

        return result;
    }
}
