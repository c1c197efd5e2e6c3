namespace Pipelines.Stages.Dedup;

/// <summary>Candidate pairs from LSH band buckets: documents that share any band hash.</summary>
internal static class CandidatePairs
{
    /// <summary>
    /// Returns distinct pairs packed as (first &lt;&lt; 32 | second), first &lt; second, sorted. With
    /// <paramref name="split"/> ≥ 0 only pairs with first &lt; split ≤ second are returned (across mode).
    /// </summary>
    public static ulong[] Find(ulong[] bandHashes, int count, int bands, bool[] empty, int split, ParallelOptions parallel)
    {
        var perBand = new List<ulong>[bands];
        Parallel.For(0, bands, parallel, band => perBand[band] = FindInBand(bandHashes, count, bands, band, empty, split));

        long total = 0;
        foreach (var list in perBand)
        {
            total += list.Count;
        }

        var all = new ulong[total];
        int at = 0;
        foreach (var list in perBand)
        {
            list.CopyTo(all, at);
            at += list.Count;
        }

        Array.Sort(all);
        int distinct = 0;
        for (int i = 0; i < all.Length; i++)
        {
            if (distinct == 0 || all[i] != all[distinct - 1])
            {
                all[distinct++] = all[i];
            }
        }

        return distinct == all.Length ? all : all.AsSpan(0, distinct).ToArray();
    }

    private static List<ulong> FindInBand(ulong[] bandHashes, int count, int bands, int band, bool[] empty, int split)
    {
        var keys = new ulong[count];
        var docs = new int[count];
        int n = 0;
        for (int i = 0; i < count; i++)
        {
            if (!empty[i])
            {
                keys[n] = bandHashes[((long)i * bands) + band];
                docs[n] = i;
                n++;
            }
        }

        Array.Sort(keys, docs, 0, n);
        var pairs = new List<ulong>();
        int start = 0;
        while (start < n)
        {
            int end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                // Array.Sort is unstable: order each bucket's members so pairs do not depend on it.
                Array.Sort(docs, start, end - start);
                AddBucket(docs.AsSpan(start, end - start), split, pairs);
            }

            start = end;
        }

        return pairs;
    }

    private static void AddBucket(ReadOnlySpan<int> members, int split, List<ulong> pairs)
    {
        if (split < 0)
        {
            if (members.Length <= DedupConstants.MaxBucketForAllPairs)
            {
                for (int i = 0; i < members.Length; i++)
                {
                    for (int j = i + 1; j < members.Length; j++)
                    {
                        pairs.Add(Pack(members[i], members[j]));
                    }
                }
            }
            else
            {
                for (int j = 1; j < members.Length; j++)
                {
                    pairs.Add(Pack(members[0], members[j]));
                }
            }

            return;
        }

        // Members are sorted, so documents of the first set come before those of the other set.
        int firstOther = members.Length;
        for (int i = 0; i < members.Length; i++)
        {
            if (members[i] >= split)
            {
                firstOther = i;
                break;
            }
        }

        int left = firstOther, right = members.Length - firstOther;
        if (left == 0 || right == 0)
        {
            return;
        }

        bool allPairs = (long)left * right <= (long)DedupConstants.MaxBucketForAllPairs * DedupConstants.MaxBucketForAllPairs / 2;
        for (int i = 0; i < left; i++)
        {
            if (allPairs)
            {
                for (int j = firstOther; j < members.Length; j++)
                {
                    pairs.Add(Pack(members[i], members[j]));
                }
            }
            else
            {
                pairs.Add(Pack(members[i], members[firstOther]));
            }
        }
    }

    private static ulong Pack(int first, int second) => ((ulong)(uint)first << 32) | (uint)second;
}
