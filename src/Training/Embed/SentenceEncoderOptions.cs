namespace Pipelines.Training.Embed;

/// <summary>How <see cref="SentenceEncoder"/> batches, cuts and pools; copied when an encoder is made.</summary>
public sealed class SentenceEncoderOptions
{
    /// <summary>Texts per ONNX Runtime call. Default: 32.</summary>
    public int BatchSize { get; set; } = EmbedConstants.DefaultBatchSize;

    /// <summary>Tokens per text, <c>[CLS]</c> and <c>[SEP]</c> included; longer texts are cut. Default: 256.</summary>
    public int MaxLength { get; set; } = EmbedConstants.DefaultMaxLength;

    /// <summary>Scale each embedding to unit length (sentence-transformers' <c>Normalize</c>). Default: true.</summary>
    public bool Normalize { get; set; } = true;

    /// <summary>ONNX Runtime intra-op threads. Default: 1.</summary>
    public int Threads { get; set; } = EmbedConstants.DefaultThreads;
}
