namespace Pipelines.Training.Embed;

/// <summary>Defaults and limits of the embed stage and <see cref="SentenceEncoder"/>.</summary>
internal static class EmbedConstants
{
    public const string DefaultModel = "package:all-MiniLM-L6-v2";
    public const string DefaultOutputColumn = "embedding";
    public const int DefaultBatchSize = 32;
    public const int MaxBatchSize = 1024;

    /// <summary>sentence-transformers' <c>max_seq_length</c> for all-MiniLM-L6-v2 (longer texts are cut).</summary>
    public const int DefaultMaxLength = 256;

    /// <summary>The packaged models' <c>max_position_embeddings</c>.</summary>
    public const int MaxMaxLength = 512;

    /// <summary>One thread by default: the output is then the same bytes on every machine, whatever its core count.</summary>
    public const int DefaultThreads = 1;
    public const int MaxThreads = 256;

    /// <summary>Rows per output row group (and per encoding slice): 4096 × 384 floats ≈ 6 MB, so memory stays bounded.</summary>
    public const int RowsPerSlice = 4096;

    /// <summary>The graph output that holds the token states.</summary>
    public const string HiddenStateOutput = "last_hidden_state";
}
