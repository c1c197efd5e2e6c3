namespace Pipelines.Stages.Dedup;

/// <summary>
/// Deduplicates a table fed in batches of rows (column-wise string values, in row order). Exact mode
/// keeps only row hashes, so memory is the hash set; near mode also keeps one normalised text per
/// distinct row. Optional <c>across</c> rows are never removed: table rows that match them are.
/// </summary>
public sealed class DedupSession
{
    private readonly DedupMode _mode;
    private readonly TextNormalizer _normalizer;
    private readonly NearDuplicateOptions _near;
    private readonly KeepRule _keep;
    private readonly ParallelOptions _parallel;
    private readonly ExactDuplicateIndex _table = new();
    private readonly ExactDuplicateIndex _across = new();
    private readonly List<string?> _groupTexts = [];
    private readonly List<string?> _acrossTexts = [];
    private readonly List<int> _lengths = [];
    private readonly List<long> _newest = [];
    private bool _completed;

    /// <summary>Creates a session; the settings are copied.</summary>
    public DedupSession(DeduplicatorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _mode = settings.Mode;
        _normalizer = new TextNormalizer(settings.Normalization);
        _near = new NearDuplicateOptions
        {
            Threshold = settings.Near.Threshold,
            NumPerm = settings.Near.NumPerm,
            NgramSize = settings.Near.NgramSize,
            Seed = settings.Near.Seed,
            Bands = settings.Near.Bands,
            Rows = settings.Near.Rows,
            Verify = settings.Near.Verify,
            FalsePositiveWeight = settings.Near.FalsePositiveWeight,
            FalseNegativeWeight = settings.Near.FalseNegativeWeight,
            MaxDegreeOfParallelism = settings.Near.MaxDegreeOfParallelism,
        };
        _keep = settings.Keep;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = settings.Near.MaxDegreeOfParallelism };

        // Fail early on bad near-duplicate settings rather than after reading the table.
        if (_mode == DedupMode.Near)
        {
            _ = new NearDuplicateDetector(_near);
        }
    }

    /// <summary>Rows of the table added so far.</summary>
    public int RowCount => _table.RowCount;

    /// <summary>
    /// Adds the next <paramref name="rowCount"/> table rows. <paramref name="columns"/> holds one array per
    /// compared column. <paramref name="newestKeys"/> (keep: newest) orders rows: larger is newer.
    /// </summary>
    public void AddRows(IReadOnlyList<IReadOnlyList<string?>> columns, int rowCount, IReadOnlyList<long>? newestKeys = null)
    {
        ThrowIfCompleted();
        if (_keep == KeepRule.Newest && newestKeys is null)
        {
            throw new ArgumentException("keep: newest needs the newest-by key of every row.", nameof(newestKeys));
        }

        var (hashes, texts, lengths) = Prepare(columns, rowCount);
        for (int i = 0; i < rowCount; i++)
        {
            int groups = _table.GroupCount;
            _table.Add(hashes[i]);
            if (_mode == DedupMode.Near && _table.GroupCount > groups)
            {
                _groupTexts.Add(texts![i]);
            }

            _lengths.Add(lengths[i]);
            if (newestKeys is not null)
            {
                _newest.Add(newestKeys[i]);
            }
        }
    }

    /// <summary>Adds rows of the <c>across</c> table (rows of the table that match them are removed).</summary>
    public void AddAcrossRows(IReadOnlyList<IReadOnlyList<string?>> columns, int rowCount)
    {
        ThrowIfCompleted();
        var (hashes, texts, _) = Prepare(columns, rowCount);
        for (int i = 0; i < rowCount; i++)
        {
            _across.Add(hashes[i]);
            if (_mode == DedupMode.Near)
            {
                _acrossTexts.Add(texts![i]);
            }
        }
    }

    /// <summary>Finds the duplicates and decides which rows go. Call once, after all rows are added.</summary>
    public DedupOutcome Complete()
    {
        ThrowIfCompleted();
        _completed = true;
        int rows = _table.RowCount;
        int groups = _table.GroupCount;

        // Per group: the across row it matches (−1 none), and how.
        var acrossRow = new int[groups];
        var acrossSimilarity = new (double Estimated, double? Exact)[groups];
        var acrossKind = new DuplicateKind[groups];
        Array.Fill(acrossRow, -1);
        for (int g = 0; g < groups; g++)
        {
            int match = _across.FirstRowOf(_table.HashOfGroup(g));
            if (match >= 0)
            {
                acrossRow[g] = match;
                acrossSimilarity[g] = (1.0, 1.0);
                acrossKind[g] = DuplicateKind.Exact;
            }
        }

        NearDuplicateResult? acrossResult = null;
        NearDuplicateResult? withinResult = null;
        var repOfGroup = new List<int>();
        var groupOfRep = new List<int>();
        if (_mode == DedupMode.Near)
        {
            var detector = new NearDuplicateDetector(_near);
            if (_across.RowCount > 0)
            {
                acrossResult = detector.FindAcross(_groupTexts, _acrossTexts);
                foreach (var pair in acrossResult.Pairs)
                {
                    int g = pair.First;
                    if (acrossRow[g] >= 0 && !IsBetter(pair, acrossRow[g], acrossSimilarity[g]))
                    {
                        continue;
                    }

                    if (acrossKind[g] == DuplicateKind.Exact && acrossRow[g] >= 0)
                    {
                        continue;
                    }

                    acrossRow[g] = pair.Second;
                    acrossSimilarity[g] = (pair.EstimatedJaccard, pair.ExactJaccard);
                    acrossKind[g] = DuplicateKind.Near;
                }
            }

            var clean = new List<string?>();
            for (int g = 0; g < groups; g++)
            {
                repOfGroup.Add(acrossRow[g] >= 0 ? -1 : clean.Count);
                if (acrossRow[g] < 0)
                {
                    groupOfRep.Add(g);
                    clean.Add(_groupTexts[g]);
                }
            }

            withinResult = detector.FindWithin(clean);
        }

        var unionFind = new UnionFind(rows);
        for (int r = 0; r < rows; r++)
        {
            int g = _table.GroupOf(r);
            if (acrossRow[g] < 0)
            {
                unionFind.Union(r, _table.FirstRowOfGroup(g));
            }
        }

        var nearPairs = new List<SimilarPair>();
        if (withinResult is not null)
        {
            foreach (var pair in withinResult.Pairs)
            {
                int first = _table.FirstRowOfGroup(groupOfRep[pair.First]), second = _table.FirstRowOfGroup(groupOfRep[pair.Second]);
                unionFind.Union(first, second);
                nearPairs.Add(pair with { First = Math.Min(first, second), Second = Math.Max(first, second) });
            }
        }

        var removed = new bool[rows];
        var records = new List<DuplicateRecord>();
        var clusters = BuildClusters(unionFind, acrossRow);
        foreach (var cluster in clusters)
        {
            int kept = cluster.KeptRow;
            int keptGroup = _table.GroupOf(kept);
            foreach (int r in cluster.Rows)
            {
                if (r == kept)
                {
                    continue;
                }

                removed[r] = true;
                int g = _table.GroupOf(r);
                if (g == keptGroup)
                {
                    records.Add(new DuplicateRecord(cluster.Id, kept, r, 1.0, 1.0, DuplicateKind.Exact, false));
                }
                else
                {
                    var similarity = withinResult!.Similarity(repOfGroup[keptGroup], repOfGroup[g])
                        ?? throw new InvalidOperationException("A near-duplicate cluster member has no signature; this is a bug.");
                    // Every removed row is reported beside the kept row with that pair's own Jaccard; a chain A~B~C
                    // can put A and C in one cluster below the threshold, which the record then says.
                    bool linked = (similarity.Exact ?? similarity.Estimated) < _near.Threshold;
                    records.Add(new DuplicateRecord(cluster.Id, kept, r, similarity.Estimated, similarity.Exact, DuplicateKind.Near, false, linked));
                }
            }
        }

        for (int r = 0; r < rows; r++)
        {
            int g = _table.GroupOf(r);
            if (acrossRow[g] >= 0)
            {
                removed[r] = true;
                records.Add(new DuplicateRecord(null, acrossRow[g], r, acrossSimilarity[g].Estimated, acrossSimilarity[g].Exact, acrossKind[g], true));
            }
        }

        records.Sort((a, b) => a.RemovedRow.CompareTo(b.RemovedRow));
        return new DedupOutcome(removed, records, clusters, withinResult, acrossResult, nearPairs);
    }

    // Prefer the across match with the higher (exact, else estimated) similarity, then the earlier row.
    private static bool IsBetter(SimilarPair pair, int currentRow, (double Estimated, double? Exact) current)
    {
        double candidate = pair.ExactJaccard ?? pair.EstimatedJaccard;
        double existing = current.Exact ?? current.Estimated;
        return candidate > existing || (candidate == existing && pair.Second < currentRow);
    }

    private List<DuplicateCluster> BuildClusters(UnionFind unionFind, int[] acrossRow)
    {
        int rows = unionFind.Count;
        var membersOfRoot = new Dictionary<int, List<int>>();
        for (int r = 0; r < rows; r++)
        {
            if (acrossRow[_table.GroupOf(r)] >= 0)
            {
                continue;
            }

            int root = unionFind.Find(r);
            if (root == r)
            {
                continue;
            }

            if (!membersOfRoot.TryGetValue(root, out var members))
            {
                members = [root];
                membersOfRoot.Add(root, members);
            }

            members.Add(r);
        }

        var roots = membersOfRoot.Keys.ToArray();
        Array.Sort(roots);
        var clusters = new List<DuplicateCluster>(roots.Length);
        foreach (int root in roots)
        {
            var members = membersOfRoot[root];
            members.Sort();
            clusters.Add(new DuplicateCluster(clusters.Count, ChooseKept(members), members));
        }

        return clusters;
    }

    private int ChooseKept(List<int> members) => KeptRowChooser.Choose(_keep, members, _lengths, _newest);

    private (UInt128[] Hashes, string?[]? Texts, int[] Lengths) Prepare(IReadOnlyList<IReadOnlyList<string?>> columns, int rowCount)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (columns.Count == 0)
        {
            throw new ArgumentException("At least one column must be compared.", nameof(columns));
        }

        foreach (var column in columns)
        {
            if (column.Count < rowCount)
            {
                throw new ArgumentException($"Every column must have {rowCount} values; one has {column.Count}.", nameof(columns));
            }
        }

        var hashes = new UInt128[rowCount];
        var texts = _mode == DedupMode.Near ? new string?[rowCount] : null;
        var lengths = new int[rowCount];
        int width = columns.Count;
        Parallel.For(
            0,
            rowCount,
            _parallel,
            () => (Hasher: new RowHasher(), Values: new string?[width]),
            (i, _, scratch) =>
            {
                int length = 0;
                for (int c = 0; c < width; c++)
                {
                    string? raw = columns[c][i];
                    length += raw?.Length ?? 0;
                    scratch.Values[c] = _normalizer.Normalize(raw);
                }

                hashes[i] = scratch.Hasher.Hash(scratch.Values);
                lengths[i] = length;
                if (texts is not null)
                {
                    texts[i] = width == 1 ? scratch.Values[0] : string.Join('\n', scratch.Values);
                }

                return scratch;
            },
            _ => { });
        return (hashes, texts, lengths);
    }

    private void ThrowIfCompleted()
    {
        if (_completed)
        {
            throw new InvalidOperationException("This dedup session is complete; start a new one.");
        }
    }
}
