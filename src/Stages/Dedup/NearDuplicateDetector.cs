using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// Finds near-duplicate documents with MinHash over word n-gram shingles and LSH banding, with optional
/// exact-Jaccard verification. Texts are used as given (normalise them first). Results are identical
/// for any degree of parallelism: work is written by index and pairs are sorted.
/// </summary>
public sealed class NearDuplicateDetector
{
    private readonly double _threshold;
    private readonly int _ngramSize;
    private readonly bool _verify;
    private readonly ParallelOptions _parallel;
    private readonly MinHasher _minHasher;

    /// <summary>Creates a detector with a copy of <paramref name="options"/>.</summary>
    public NearDuplicateDetector(NearDuplicateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Threshold > 0.0 && options.Threshold < 1.0))
        {
            throw new ArgumentException($"'threshold' must be between 0 and 1 (exclusive). You entered {Invariant(options.Threshold)}.", nameof(options));
        }

        if (options.NumPerm < 1 || options.NumPerm > DedupConstants.MaxNumPerm)
        {
            throw new ArgumentException($"'num_perm' must be between 1 and {DedupConstants.MaxNumPerm}. You entered {options.NumPerm}.", nameof(options));
        }

        if (options.NgramSize < 1 || options.NgramSize > DedupConstants.MaxNgramSize)
        {
            throw new ArgumentException($"'ngram_size' must be between 1 and {DedupConstants.MaxNgramSize}. You entered {options.NgramSize}.", nameof(options));
        }

        if ((options.Bands == 0) != (options.Rows == 0) || options.Bands < 0 || options.Rows < 0)
        {
            throw new ArgumentException($"'bands' and 'rows' must both be 0 (automatic) or both be positive. You entered bands={options.Bands}, rows={options.Rows}.", nameof(options));
        }

        if ((long)options.Bands * options.Rows > options.NumPerm)
        {
            throw new ArgumentException($"'bands' × 'rows' must not exceed 'num_perm' ({options.NumPerm}). You entered {options.Bands} × {options.Rows}.", nameof(options));
        }

        if (!(options.FalsePositiveWeight >= 0 && options.FalseNegativeWeight >= 0 && options.FalsePositiveWeight + options.FalseNegativeWeight > 0))
        {
            throw new ArgumentException($"'false_positive_weight' and 'false_negative_weight' must be non-negative and not both 0. You entered {Invariant(options.FalsePositiveWeight)} and {Invariant(options.FalseNegativeWeight)}.", nameof(options));
        }

        _threshold = options.Threshold;
        _ngramSize = options.NgramSize;
        _verify = options.Verify;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        _minHasher = new MinHasher(options.NumPerm, options.Seed);
        Lsh = options.Bands > 0
            ? new LshParameters(options.Bands, options.Rows)
            : LshParameters.Optimal(options.Threshold, options.NumPerm, options.FalsePositiveWeight, options.FalseNegativeWeight);
    }

    /// <summary>The banding in use.</summary>
    public LshParameters Lsh { get; }

    /// <summary>Near-duplicate pairs among <paramref name="texts"/> (First &lt; Second).</summary>
    public NearDuplicateResult FindWithin(IReadOnlyList<string?> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return Find(texts, texts.Count, texts.Count);
    }

    /// <summary>Pairs (i, j) where <paramref name="texts"/>[i] near-duplicates <paramref name="others"/>[j].</summary>
    public NearDuplicateResult FindAcross(IReadOnlyList<string?> texts, IReadOnlyList<string?> others)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(others);
        var combined = new CombinedList(texts, others);
        return Find(combined, texts.Count, -1);
    }

    private NearDuplicateResult Find(IReadOnlyList<string?> texts, int split, int withinCount)
    {
        bool across = withinCount < 0;
        int count = texts.Count;
        int bands = Lsh.Bands;
        var bandHashes = new ulong[(long)count * bands];
        var empty = new bool[count];
        ComputeBandHashes(texts, bandHashes, empty);

        ulong[] candidates = CandidatePairs.Find(bandHashes, count, bands, empty, across ? split : -1, _parallel);
        if (candidates.Length == 0)
        {
            return new NearDuplicateResult([], 0, 0, Lsh, SignatureCache.Empty(count, _minHasher.NumPerm), across ? split : 0);
        }

        SignatureCache cache = BuildCache(texts, candidates);
        var estimated = new double[candidates.Length];
        var exact = new double?[candidates.Length];
        Parallel.For(0, candidates.Length, _parallel, k =>
        {
            var (est, ex) = cache.Similarity((int)(candidates[k] >> 32), (int)(uint)candidates[k])!.Value;
            estimated[k] = est;
            exact[k] = ex;
        });

        var pairs = new List<SimilarPair>();
        int rejected = 0;
        for (int k = 0; k < candidates.Length; k++)
        {
            if (_verify && exact[k] < _threshold)
            {
                rejected++;
                continue;
            }

            int first = (int)(candidates[k] >> 32), second = (int)(uint)candidates[k];
            pairs.Add(new SimilarPair(first, across ? second - split : second, estimated[k], exact[k]));
        }

        return new NearDuplicateResult(pairs, candidates.Length, rejected, Lsh, cache, across ? split : 0);
    }

    private void ComputeBandHashes(IReadOnlyList<string?> texts, ulong[] bandHashes, bool[] empty)
    {
        int count = texts.Count;
        int chunks = (count + DedupConstants.HashingChunk - 1) / DedupConstants.HashingChunk;
        int bands = Lsh.Bands, rows = Lsh.Rows;
        Parallel.For(
            0,
            chunks,
            _parallel,
            () => (Shingles: new ShingleHasher(_ngramSize), Signature: new uint[_minHasher.NumPerm]),
            (chunk, _, scratch) =>
            {
                int end = Math.Min(count, (chunk + 1) * DedupConstants.HashingChunk);
                for (int i = chunk * DedupConstants.HashingChunk; i < end; i++)
                {
                    ReadOnlySpan<ulong> shingles = scratch.Shingles.Hash(texts[i]);
                    if (shingles.IsEmpty)
                    {
                        empty[i] = true;
                        continue;
                    }

                    _minHasher.Compute(shingles, scratch.Signature);
                    for (int band = 0; band < bands; band++)
                    {
                        ReadOnlySpan<uint> values = scratch.Signature.AsSpan(band * rows, rows);
                        bandHashes[((long)i * bands) + band] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(values), band);
                    }
                }

                return scratch;
            },
            _ => { });
    }

    // Signatures (and shingle sets) are recomputed for candidate documents only, so memory holds
    // band hashes for all documents but full signatures just for the few that matter.
    private SignatureCache BuildCache(IReadOnlyList<string?> texts, ulong[] candidates)
    {
        var slotOf = new int[texts.Count];
        Array.Fill(slotOf, -1);
        var docs = new List<int>();
        foreach (ulong key in candidates)
        {
            Mark((int)(key >> 32));
            Mark((int)(uint)key);
        }

        docs.Sort();
        for (int slot = 0; slot < docs.Count; slot++)
        {
            slotOf[docs[slot]] = slot;
        }

        int numPerm = _minHasher.NumPerm;
        var signatures = new uint[(long)docs.Count * numPerm];
        ulong[][]? sets = _verify ? new ulong[docs.Count][] : null;
        Parallel.For(
            0,
            docs.Count,
            _parallel,
            () => new ShingleHasher(_ngramSize),
            (slot, _, hasher) =>
            {
                string? text = texts[docs[slot]];
                _minHasher.Compute(hasher.Hash(text), signatures.AsSpan(slot * numPerm, numPerm));
                if (sets is not null)
                {
                    sets[slot] = hasher.HashSet(text);
                }

                return hasher;
            },
            _ => { });
        return new SignatureCache(slotOf, signatures, sets, numPerm);

        void Mark(int doc)
        {
            if (slotOf[doc] < 0)
            {
                slotOf[doc] = 0;
                docs.Add(doc);
            }
        }
    }

    private static string Invariant(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private sealed class CombinedList(IReadOnlyList<string?> first, IReadOnlyList<string?> second) : IReadOnlyList<string?>
    {
        public int Count => first.Count + second.Count;

        public string? this[int index] => index < first.Count ? first[index] : second[index - first.Count];

        public IEnumerator<string?> GetEnumerator() => first.Concat(second).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
