namespace Pipelines.Stages.Dedup;

/// <summary>
/// Finds pairs of embeddings whose cosine similarity reaches a threshold without comparing all pairs: random-hyperplane
/// LSH proposes the pairs that share a bucket in any table, and each is verified once by its exact cosine. Vectors are
/// L2-normalised first (so a dot product is the cosine). Deterministic at any thread count.
/// </summary>
public sealed class SemanticDuplicateDetector
{
    private readonly SemanticDuplicateOptions _options;
    private readonly ParallelOptions _parallel;

    /// <summary>Creates a detector; the options are copied and checked.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public SemanticDuplicateDetector(SemanticDuplicateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Threshold > 0 && options.Threshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"The cosine threshold must be in (0, 1], but got {options.Threshold}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.Bits, nameof(options.Bits));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Bits, DedupConstants.MaxLshBits, nameof(options.Bits));
        ArgumentOutOfRangeException.ThrowIfNegative(options.Tables, nameof(options.Tables));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Tables, DedupConstants.MaxLshTables, nameof(options.Tables));
        _options = new SemanticDuplicateOptions
        {
            Threshold = options.Threshold,
            Bits = options.Bits,
            Tables = options.Tables,
            Seed = options.Seed,
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
        };
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
    }

    /// <summary>Scales a vector to unit length (a copy); the zero vector stays zero and matches nothing.</summary>
    public static float[] Normalize(ReadOnlySpan<float> vector)
    {
        double squares = 0;
        foreach (float x in vector)
        {
            squares += (double)x * x;
        }

        var result = vector.ToArray();
        if (squares > 0)
        {
            float norm = (float)Math.Sqrt(squares);
            for (int i = 0; i < result.Length; i++)
            {
                result[i] /= norm;
            }
        }

        return result;
    }

    /// <summary>The cosine of two unit vectors, computed the way verification computes it.</summary>
    public static double Cosine(float[] a, float[] b) => HyperplaneLsh.Dot(a, b);

    /// <summary>Pairs within <paramref name="vectors"/> (unit vectors of one length) at or above the threshold.</summary>
    public SemanticDuplicateResult FindWithin(IReadOnlyList<float[]> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        if (vectors.Count < 2)
        {
            return new SemanticDuplicateResult([], 0, 0, 0, 0, 0);
        }

        var (lsh, probability) = Lsh(vectors.Count, vectors);
        var codes = Codes(lsh, vectors);
        var perTable = new (List<CosinePair> Pairs, long Candidates)[lsh.Tables];
        Parallel.For(0, lsh.Tables, _parallel, t =>
        {
            var order = Enumerable.Range(0, vectors.Count).ToArray();
            var keys = order.Select(i => codes[i][t]).ToArray();
            Array.Sort(keys, order); // unstable, so each bucket is re-sorted by index below
            var pairs = new List<CosinePair>();
            long candidates = 0;
            for (int start = 0; start < order.Length;)
            {
                int end = start + 1;
                while (end < order.Length && keys[end] == keys[start])
                {
                    end++;
                }

                if (end - start > 1)
                {
                    var bucket = order[start..end];
                    Array.Sort(bucket);
                    for (int x = 0; x < bucket.Length; x++)
                    {
                        for (int y = x + 1; y < bucket.Length; y++)
                        {
                            int i = bucket[x], j = bucket[y];
                            if (SharedEarlier(codes[i], codes[j], t))
                            {
                                continue; // verified in the first table they share
                            }

                            candidates++;
                            double cosine = HyperplaneLsh.Dot(vectors[i], vectors[j]);
                            if (cosine >= _options.Threshold)
                            {
                                pairs.Add(new CosinePair(i, j, cosine));
                            }
                        }
                    }
                }

                start = end;
            }

            perTable[t] = (pairs, candidates);
        });
        return Merge(perTable, lsh, probability);
    }

    /// <summary>Pairs (row of <paramref name="table"/>, row of <paramref name="across"/>) at or above the threshold.</summary>
    public SemanticDuplicateResult FindAcross(IReadOnlyList<float[]> table, IReadOnlyList<float[]> across)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(across);
        if (table.Count == 0 || across.Count == 0)
        {
            return new SemanticDuplicateResult([], 0, 0, 0, 0, 0);
        }

        // Each table row meets every across row: as many partners per vector as 2·m/2 in a search within m + n rows.
        var (lsh, probability) = Lsh(2L * across.Count, table, across);
        var tableCodes = Codes(lsh, table);
        var acrossCodes = Codes(lsh, across);
        var perTable = new (List<CosinePair> Pairs, long Candidates)[lsh.Tables];
        Parallel.For(0, lsh.Tables, _parallel, t =>
        {
            var buckets = new Dictionary<int, List<int>>();
            for (int j = 0; j < across.Count; j++)
            {
                if (!buckets.TryGetValue(acrossCodes[j][t], out var list))
                {
                    buckets[acrossCodes[j][t]] = list = [];
                }

                list.Add(j);
            }

            var pairs = new List<CosinePair>();
            long candidates = 0;
            for (int i = 0; i < table.Count; i++)
            {
                if (!buckets.TryGetValue(tableCodes[i][t], out var list))
                {
                    continue;
                }

                foreach (int j in list)
                {
                    if (SharedEarlier(tableCodes[i], acrossCodes[j], t))
                    {
                        continue;
                    }

                    candidates++;
                    double cosine = HyperplaneLsh.Dot(table[i], across[j]);
                    if (cosine >= _options.Threshold)
                    {
                        pairs.Add(new CosinePair(i, j, cosine));
                    }
                }
            }

            perTable[t] = (pairs, candidates);
        });
        return Merge(perTable, lsh, probability);
    }

    private static bool SharedEarlier(int[] a, int[] b, int table)
    {
        for (int s = 0; s < table; s++)
        {
            if (a[s] == b[s])
            {
                return true;
            }
        }

        return false;
    }

    private static SemanticDuplicateResult Merge((List<CosinePair> Pairs, long Candidates)[] perTable, HyperplaneLsh lsh, double probability)
    {
        var pairs = perTable.SelectMany(p => p.Pairs).ToList();
        pairs.Sort((a, b) => a.First != b.First ? a.First.CompareTo(b.First) : a.Second.CompareTo(b.Second));
        long candidates = perTable.Sum(p => p.Candidates);
        return new SemanticDuplicateResult(pairs, candidates, candidates - pairs.Count, lsh.Bits, lsh.Tables, probability);
    }

    // Hyperplanes through the vectors' mean: sentence embeddings share a common direction (unrelated MiniLM texts sit
    // at cos ≈ 0.1–0.3), and planes through the origin would put most of them on the same side of every plane. Centring
    // keeps a pair's distance but shortens the vectors, so the plan is made for the threshold the pair has after
    // centring: 1 − (1 − t) / (1 − ‖mean‖²) for unit vectors of average length.
    private (HyperplaneLsh Lsh, double CandidateProbability) Lsh(long partners, params IReadOnlyList<float[]>[] sets)
    {
        int dimensions = sets[0][0].Length;
        var sum = new double[dimensions];
        long count = 0;
        foreach (var set in sets)
        {
            foreach (var v in set)
            {
                for (int d = 0; d < dimensions; d++)
                {
                    sum[d] += v[d];
                }

                count++;
            }
        }

        var centre = sum.Select(x => (float)(x / count)).ToArray();
        double squared = centre.Sum(x => (double)x * x);
        bool centred = squared < DedupConstants.MaxCentredMeanNorm2;
        double threshold = centred ? 1 - ((1 - _options.Threshold) / (1 - squared)) : _options.Threshold;
        var (bits, tables) = HyperplaneLshPlan.Choose(threshold, partners, _options.Bits, _options.Tables);
        return (new HyperplaneLsh(dimensions, bits, tables, _options.Seed, centred ? centre : null), HyperplaneLsh.CandidateProbability(threshold, bits, tables));
    }

    private int[][] Codes(HyperplaneLsh lsh, IReadOnlyList<float[]> vectors)
    {
        var codes = new int[vectors.Count][];
        Parallel.For(0, vectors.Count, _parallel, i =>
        {
            codes[i] = new int[lsh.Tables];
            lsh.Codes(vectors[i], codes[i]);
        });
        return codes;
    }
}
