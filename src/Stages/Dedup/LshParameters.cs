using MathNet.Numerics.Integration;

namespace Pipelines.Stages.Dedup;

/// <summary>LSH banding: a signature is cut into <see cref="Bands"/> bands of <see cref="Rows"/> values.</summary>
/// <param name="Bands">Number of bands (b).</param>
/// <param name="Rows">Signature values per band (r).</param>
public readonly record struct LshParameters(int Bands, int Rows)
{
    /// <summary>
    /// Probability that two documents with Jaccard similarity <paramref name="similarity"/> share at
    /// least one band: 1 − (1 − s^r)^b.
    /// </summary>
    public double CandidateProbability(double similarity) =>
        1.0 - Math.Pow(1.0 - Math.Pow(similarity, Rows), Bands);

    /// <summary>
    /// The (b, r) with b·r ≤ <paramref name="numPerm"/> that minimises
    /// fpWeight·∫₀ᵗ P(s) ds + fnWeight·∫ₜ¹ (1 − P(s)) ds, as datasketch's <c>_optimal_param</c> does
    /// (b outer loop, r inner loop, first strict minimum wins). P is a polynomial of degree b·r, so an
    /// (numPerm/2 + 1)-point Gauss–Legendre rule integrates it exactly.
    /// </summary>
    public static LshParameters Optimal(double threshold, int numPerm, double falsePositiveWeight = 0.5, double falseNegativeWeight = 0.5)
    {
        if (!(threshold > 0.0 && threshold < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "'threshold' must be between 0 and 1 (exclusive).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(numPerm, 1);
        int order = (numPerm / 2) + 2;
        double minError = double.PositiveInfinity;
        var best = new LshParameters(0, 0);
        for (int b = 1; b <= numPerm; b++)
        {
            int maxR = numPerm / b;
            for (int r = 1; r <= maxR; r++)
            {
                var candidate = new LshParameters(b, r);
                double falsePositive = GaussLegendreRule.Integrate(candidate.CandidateProbability, 0.0, threshold, order);
                double falseNegative = GaussLegendreRule.Integrate(s => 1.0 - candidate.CandidateProbability(s), threshold, 1.0, order);
                double error = (falsePositive * falsePositiveWeight) + (falseNegative * falseNegativeWeight);
                if (error < minError)
                {
                    minError = error;
                    best = candidate;
                }
            }
        }

        return best;
    }
}
