namespace Pipelines.Stages.Dedup;

/// <summary>
/// Chooses LSH bits per table (k) and tables (L) for a cosine threshold and a number of vectors: for each k, the
/// fewest tables that make a pair at the threshold a candidate with probability ≥ 0.99, then the k of least expected
/// work, L · (k projections + the n/2 · 2⁻ᵏ unrelated partners per vector that share a bucket and are verified).
/// </summary>
internal static class HyperplaneLshPlan
{
    public const double TargetRecall = 0.99;

    public static (int Bits, int Tables) Choose(double threshold, long vectors, int bits, int tables)
    {
        if (bits > 0 && tables > 0)
        {
            return (bits, tables);
        }

        double agree = 1 - (Math.Acos(Math.Clamp(threshold, -1, 1)) / Math.PI);
        int TablesFor(int k) => (int)Math.Clamp(Math.Ceiling(Math.Log(1 - TargetRecall) / Math.Log(1 - Math.Pow(agree, k))), 1, DedupConstants.MaxLshTables);
        if (bits > 0)
        {
            return (bits, TablesFor(bits));
        }

        int bestBits = DedupConstants.MinAutoLshBits;
        double bestCost = double.MaxValue;
        for (int k = DedupConstants.MinAutoLshBits; k <= DedupConstants.MaxAutoLshBits; k++)
        {
            int l = tables > 0 ? tables : TablesFor(k);
            double cost = l * (k + (vectors / 2.0 * Math.Pow(0.5, k)));
            if (cost < bestCost)
            {
                (bestBits, bestCost) = (k, cost);
            }
        }

        return (bestBits, tables > 0 ? tables : TablesFor(bestBits));
    }
}
