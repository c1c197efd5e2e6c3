namespace Pipelines.Synthetic;

/// <summary>
/// Learns the network greedily, as PrivBayes does without its noise: start from the column most informative about
/// the others, then repeatedly add the column and parent set (up to the degree, among the columns already placed)
/// with the highest mutual information, less its small-sample bias ((|X| − 1)(|Π| − 1) / 2n) so that many-valued
/// parent sets do not win by chance.
/// </summary>
internal static class NetworkLearner
{
    public static (int[] Order, int[][] Parents) Learn(int[][] codes, int[] cardinalities, int degree)
    {
        int d = codes.Length;
        var parents = new int[d][];
        var order = new List<int>(d);
        if (d == 0)
        {
            return ([], []);
        }

        int first = Enumerable.Range(0, d).OrderByDescending(j => Enumerable.Range(0, d).Where(k => k != j).Sum(k => Score(codes, cardinalities, j, [k]))).ThenBy(j => j).First();
        order.Add(first);
        parents[first] = [];
        var remaining = Enumerable.Range(0, d).Where(j => j != first).ToList();
        while (remaining.Count > 0)
        {
            var sets = ParentSets(order, Math.Min(degree, order.Count)).ToArray();
            var candidates = remaining.SelectMany(x => sets.Select(s => (X: x, Set: s))).ToArray();
            var scores = new double[candidates.Length];
            Parallel.For(0, candidates.Length, c => scores[c] = Score(codes, cardinalities, candidates[c].X, candidates[c].Set));
            int best = 0;
            for (int c = 1; c < candidates.Length; c++)
            {
                if (scores[c] > scores[best])
                {
                    best = c; // strict: ties keep the earlier candidate, so the structure is deterministic
                }
            }

            var (x, set) = candidates[best];
            parents[x] = set;
            order.Add(x);
            remaining.Remove(x);
        }

        return (order.ToArray(), parents);
    }

    private static IEnumerable<int[]> ParentSets(List<int> placed, int size)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }

        var sorted = placed.Order().ToArray();
        foreach (var set in Combinations(sorted, 0, size))
        {
            yield return set;
        }
    }

    private static IEnumerable<int[]> Combinations(int[] items, int start, int size)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }

        for (int i = start; i <= items.Length - size; i++)
        {
            foreach (var rest in Combinations(items, i + 1, size - 1))
            {
                yield return [items[i], .. rest];
            }
        }
    }

    /// <summary>Mutual information of column <paramref name="x"/> with the joint parent configuration, less its bias.</summary>
    internal static double Score(int[][] codes, int[] cardinalities, int x, int[] set)
    {
        int n = codes[x].Length;
        long configurations = 1;
        foreach (int p in set)
        {
            configurations *= cardinalities[p];
        }

        if (n == 0 || configurations > 5_000_000)
        {
            return double.NegativeInfinity;
        }

        int kx = cardinalities[x];
        var joint = new int[configurations * kx];
        var ofX = new int[kx];
        var ofSet = new int[configurations];
        for (int i = 0; i < n; i++)
        {
            long s = 0;
            foreach (int p in set)
            {
                s = s * cardinalities[p] + codes[p][i];
            }

            joint[s * kx + codes[x][i]]++;
            ofX[codes[x][i]]++;
            ofSet[s]++;
        }

        double mi = 0;
        for (long s = 0; s < configurations; s++)
        {
            if (ofSet[s] == 0)
            {
                continue;
            }

            for (int v = 0; v < kx; v++)
            {
                int c = joint[s * kx + v];
                if (c > 0)
                {
                    mi += c * Math.Log((double)c * n / ((double)ofSet[s] * ofX[v]));
                }
            }
        }

        int usedSets = ofSet.Count(c => c > 0);
        int usedX = ofX.Count(c => c > 0);
        return mi / n - (usedX - 1) * (double)(usedSets - 1) / (2.0 * n);
    }
}
