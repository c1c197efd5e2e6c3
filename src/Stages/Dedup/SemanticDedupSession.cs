using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// Semantic dedup (NeMo Curator's SemDeDup idea, with LSH instead of k-means): rows whose embeddings reach a cosine
/// threshold are duplicates. Identical embeddings are grouped first (by their bits), so only distinct vectors enter
/// the LSH search. <c>across</c> rows are never removed; table rows that match one are, paired with their best match.
/// Memory: one unit float vector per distinct embedding.
/// </summary>
public sealed class SemanticDedupSession
{
    private readonly SemanticDuplicateOptions _options;
    private readonly KeepRule _keep;
    private readonly Dictionary<VectorKey, int> _groupOfVector = [];
    private readonly List<float[]> _groupVectors = [];
    private readonly List<int> _firstRowOfGroup = [];
    private readonly List<int> _groupOfRow = [];
    private readonly List<float[]> _acrossVectors = [];
    private readonly List<int> _lengths = [];
    private readonly List<long> _newest = [];
    private int _dimensions = -1;
    private bool _completed;

    /// <summary>Creates a session; the options are copied.</summary>
    public SemanticDedupSession(SemanticDuplicateOptions options, KeepRule keep = KeepRule.First)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ = new SemanticDuplicateDetector(options); // checks the options now, not after reading the table
        _options = new SemanticDuplicateOptions { Threshold = options.Threshold, Bits = options.Bits, Tables = options.Tables, Seed = options.Seed, MaxDegreeOfParallelism = options.MaxDegreeOfParallelism };
        _keep = keep;
    }

    /// <summary>Rows of the table added so far.</summary>
    public int RowCount => _groupOfRow.Count;

    /// <summary>
    /// Adds the next table rows: one embedding per row (all of one length), the length of each row's compared text
    /// (for <c>keep: longest</c>) and, for <c>keep: newest</c>, each row's key (larger is newer).
    /// </summary>
    /// <exception cref="ArgumentException">A null embedding, or one whose length differs from the first.</exception>
    public void AddRows(IReadOnlyList<float[]?> embeddings, IReadOnlyList<int>? textLengths = null, IReadOnlyList<long>? newestKeys = null)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(embeddings);
        if (_keep == KeepRule.Newest && newestKeys is null)
        {
            throw new ArgumentException("keep: newest needs the newest-by key of every row.", nameof(newestKeys));
        }

        for (int i = 0; i < embeddings.Count; i++)
        {
            var vector = Check(embeddings[i], RowCount);
            var key = new VectorKey(vector);
            if (!_groupOfVector.TryGetValue(key, out int group))
            {
                group = _groupVectors.Count;
                _groupOfVector.Add(key, group);
                _groupVectors.Add(SemanticDuplicateDetector.Normalize(vector));
                _firstRowOfGroup.Add(RowCount);
            }

            _groupOfRow.Add(group);
            _lengths.Add(textLengths?[i] ?? 0);
            if (newestKeys is not null)
            {
                _newest.Add(newestKeys[i]);
            }
        }
    }

    /// <summary>Adds rows of the <c>across</c> table.</summary>
    public void AddAcrossRows(IReadOnlyList<float[]?> embeddings)
    {
        ThrowIfCompleted();
        ArgumentNullException.ThrowIfNull(embeddings);
        foreach (var embedding in embeddings)
        {
            _acrossVectors.Add(SemanticDuplicateDetector.Normalize(Check(embedding, _acrossVectors.Count, "across row")));
        }
    }

    /// <summary>Finds the duplicates and decides which rows go. Call once, after all rows are added.</summary>
    public SemanticDedupOutcome Complete()
    {
        ThrowIfCompleted();
        _completed = true;
        var detector = new SemanticDuplicateDetector(_options);
        int rows = RowCount, groups = _groupVectors.Count;

        // Per distinct embedding: the across row it matches best (highest cosine, then earliest), or −1.
        var acrossRow = new int[groups];
        var acrossCosine = new double[groups];
        Array.Fill(acrossRow, -1);
        SemanticDuplicateResult? across = null;
        if (_acrossVectors.Count > 0)
        {
            across = detector.FindAcross(_groupVectors, _acrossVectors);
            foreach (var pair in across.Pairs)
            {
                if (acrossRow[pair.First] < 0 || pair.Cosine > acrossCosine[pair.First])
                {
                    acrossRow[pair.First] = pair.Second;
                    acrossCosine[pair.First] = pair.Cosine;
                }
            }
        }

        var clean = new List<float[]>();
        var groupOfClean = new List<int>();
        for (int g = 0; g < groups; g++)
        {
            if (acrossRow[g] < 0)
            {
                groupOfClean.Add(g);
                clean.Add(_groupVectors[g]);
            }
        }

        var within = detector.FindWithin(clean);
        var unionFind = new UnionFind(rows);
        for (int r = 0; r < rows; r++)
        {
            if (acrossRow[_groupOfRow[r]] < 0)
            {
                unionFind.Union(r, _firstRowOfGroup[_groupOfRow[r]]);
            }
        }

        foreach (var pair in within.Pairs)
        {
            unionFind.Union(_firstRowOfGroup[groupOfClean[pair.First]], _firstRowOfGroup[groupOfClean[pair.Second]]);
        }

        var removed = new bool[rows];
        var records = new List<SemanticDuplicateRecord>();
        var clusters = BuildClusters(unionFind, acrossRow);
        foreach (var cluster in clusters)
        {
            int kept = cluster.KeptRow;
            var keptVector = _groupVectors[_groupOfRow[kept]];
            foreach (int r in cluster.Rows.Where(r => r != kept))
            {
                removed[r] = true;
                bool exact = _groupOfRow[r] == _groupOfRow[kept];
                double cosine = exact ? 1.0 : SemanticDuplicateDetector.Cosine(keptVector, _groupVectors[_groupOfRow[r]]);
                records.Add(new SemanticDuplicateRecord(cluster.Id, kept, r, cosine, exact, Across: false, LinkedViaCluster: !exact && cosine < _options.Threshold));
            }
        }

        for (int r = 0; r < rows; r++)
        {
            int g = _groupOfRow[r];
            if (acrossRow[g] >= 0)
            {
                removed[r] = true;
                bool exact = _acrossVectors[acrossRow[g]].AsSpan().SequenceEqual(_groupVectors[g]);
                records.Add(new SemanticDuplicateRecord(null, acrossRow[g], r, acrossCosine[g], exact, Across: true, LinkedViaCluster: false));
            }
        }

        records.Sort((a, b) => a.RemovedRow.CompareTo(b.RemovedRow));
        return new SemanticDedupOutcome(removed, records, clusters, within, across);
    }

    private float[] Check(float[]? vector, int row, string what = "row")
    {
        if (vector is null)
        {
            throw new ArgumentException($"The embedding of {what} {row} is null; semantic dedup needs an embedding for every row.");
        }

        if (_dimensions < 0)
        {
            _dimensions = vector.Length;
        }

        if (vector.Length != _dimensions || vector.Length == 0)
        {
            throw new ArgumentException($"The embedding of {what} {row} has {vector.Length} values, the first one {_dimensions}; every embedding must have the same, non-zero length.");
        }

        return vector;
    }

    private List<DuplicateCluster> BuildClusters(UnionFind unionFind, int[] acrossRow)
    {
        var membersOfRoot = new SortedDictionary<int, List<int>>();
        for (int r = 0; r < unionFind.Count; r++)
        {
            if (acrossRow[_groupOfRow[r]] >= 0)
            {
                continue;
            }

            int root = unionFind.Find(r);
            if (!membersOfRoot.TryGetValue(root, out var members))
            {
                membersOfRoot[root] = members = [];
            }

            members.Add(r);
        }

        var clusters = new List<DuplicateCluster>();
        foreach (var members in membersOfRoot.Values.Where(m => m.Count > 1))
        {
            clusters.Add(new DuplicateCluster(clusters.Count, ChooseKept(members), members));
        }

        return clusters;
    }

    private int ChooseKept(List<int> members) => KeptRowChooser.Choose(_keep, members, _lengths, _newest);

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("This dedup session is complete; start a new one.");
        }
    }

    // An embedding compared by its bits, hashed with XxHash3.
    private readonly struct VectorKey(float[] vector) : IEquatable<VectorKey>
    {
        private readonly float[] _vector = vector;

        public bool Equals(VectorKey other) => MemoryMarshal.AsBytes(_vector.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(other._vector.AsSpan()));

        public override bool Equals(object? obj) => obj is VectorKey other && Equals(other);

        public override int GetHashCode() => (int)XxHash3.HashToUInt64(MemoryMarshal.AsBytes(_vector.AsSpan()));
    }
}
