namespace Pipelines.Training.Embed;

/// <summary>Options of the <c>embed</c> stage (YAML <c>with:</c>, snake_case).</summary>
public sealed class EmbedStageOptions
{
    /// <summary>The String column embedded (required). A null text is embedded as the empty text.</summary>
    public string Column { get; set; } = "";

    /// <summary>The packaged sentence encoder. Default: <c>package:all-MiniLM-L6-v2</c>.</summary>
    public string Model { get; set; } = EmbedConstants.DefaultModel;

    /// <summary>The list&lt;float&gt; column added to the table; it must not exist yet. Default: <c>embedding</c>.</summary>
    public string OutputColumn { get; set; } = EmbedConstants.DefaultOutputColumn;

    /// <summary>Texts per ONNX Runtime call. Default: 32.</summary>
    public int BatchSize { get; set; } = EmbedConstants.DefaultBatchSize;

    /// <summary>Tokens per text including <c>[CLS]</c> and <c>[SEP]</c>; longer texts are cut. Default: 256 (sentence-transformers' limit for all-MiniLM-L6-v2).</summary>
    public int MaxLength { get; set; } = EmbedConstants.DefaultMaxLength;

    /// <summary>L2-normalise each embedding (cosine = dot product). Default: true.</summary>
    public bool Normalize { get; set; } = true;

    /// <summary>ONNX Runtime intra-op threads. Default: 1.</summary>
    public int Threads { get; set; } = EmbedConstants.DefaultThreads;
}
