namespace Pipelines.Stages.Dedup;

/// <summary>Options of the <c>dedup</c> stage (YAML <c>with:</c>, snake_case).</summary>
public sealed class DedupOptions
{
    /// <summary>Columns compared (required except in semantic mode). Exact mode: any types; near mode: String columns, joined by a newline; semantic mode: the text the report shows and <c>keep: longest</c> measures.</summary>
    public List<string> Columns { get; set; } = [];

    /// <summary><c>exact</c>, <c>near</c> (near also removes exact copies) or <c>semantic</c> (cosine of <see cref="EmbeddingColumn"/>). Default: near.</summary>
    public DedupMode Mode { get; set; } = DedupMode.Near;

    /// <summary>Text normalisation before hashing and shingling.</summary>
    public TextNormalizationOptions Normalization { get; set; } = new();

    /// <summary>Jaccard threshold for near duplicates. Default: 0.8.</summary>
    public double Threshold { get; set; } = DedupConstants.DefaultThreshold;

    /// <summary>MinHash permutations. Default: 128.</summary>
    public int NumPerm { get; set; } = DedupConstants.DefaultNumPerm;

    /// <summary>Words per shingle. Default: 5.</summary>
    public int NgramSize { get; set; } = DedupConstants.DefaultNgramSize;

    /// <summary>LSH bands; 0 = choose from the threshold. Default: 0.</summary>
    public int Bands { get; set; }

    /// <summary>Rows per band; 0 = choose from the threshold. Default: 0.</summary>
    public int Rows { get; set; }

    /// <summary>
    /// Weight of false positives when choosing (bands, rows). Default: 0.3. Verification removes false positives
    /// exactly, so the stage favours recall: 0.977 vs datasketch's 0.5/0.5 at 0.92 on pairs 0.05 above the threshold.
    /// </summary>
    public double FalsePositiveWeight { get; set; } = 0.3;

    /// <summary>Weight of false negatives when choosing (bands, rows). Default: 0.7 (see <see cref="FalsePositiveWeight"/>).</summary>
    public double FalseNegativeWeight { get; set; } = 0.7;

    /// <summary>Check candidate pairs by exact Jaccard. Default: true.</summary>
    public bool Verify { get; set; } = true;

    /// <summary>MinHash seed; null uses the stage seed. Default: null.</summary>
    public long? Seed { get; set; }

    /// <summary><c>first</c>, <c>longest</c> or <c>newest</c>. Default: first.</summary>
    public KeepRule Keep { get; set; } = KeepRule.First;

    /// <summary>Column (Int64, Double or Timestamp) that orders rows for <c>keep: newest</c>.</summary>
    public string? NewestBy { get; set; }

    /// <summary>Semantic mode: the list&lt;float&gt; column holding each row's embedding (required there; e.g. the <c>embed</c> stage's output).</summary>
    public string? EmbeddingColumn { get; set; }

    /// <summary>Semantic mode: cosine similarity at or above which rows are duplicates, in (0, 1]. Default: 0.9.</summary>
    public double CosineThreshold { get; set; } = DedupConstants.DefaultCosineThreshold;

    /// <summary>Semantic mode: random hyperplanes per LSH table; 0 = choose from the threshold and row count. Default: 0.</summary>
    public int LshBits { get; set; } = DedupConstants.DefaultLshBits;

    /// <summary>Semantic mode: LSH tables (more tables, higher recall, more candidates); 0 = enough for a 0.99 candidate probability at the threshold. Default: 0.</summary>
    public int LshTables { get; set; } = DedupConstants.DefaultLshTables;

    /// <summary>Threads; -1 = all cores. Results do not depend on it. Default: -1.</summary>
    public int MaxDegreeOfParallelism { get; set; } = -1;
}
