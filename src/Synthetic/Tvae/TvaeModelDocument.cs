namespace Pipelines.Synthetic;

/// <summary>Serialised TVAE (<c>tvae.json</c>, beside <c>decoder.onnx</c>): column transforms and output layout.</summary>
internal sealed class TvaeModelDocument
{
    public const string CurrentFormat = "pipelines.tvae/1";

    public string Format { get; set; } = CurrentFormat;

    public int TrainingRows { get; set; }

    public int LatentDim { get; set; }

    public int OutputDim { get; set; }

    /// <summary>Index of the column the decoder is conditioned on, or -1.</summary>
    public int ConditionColumn { get; set; } = -1;

    /// <summary>Decoder input size: latent size plus the condition column's one-hot width.</summary>
    public int DecoderInputDim { get; set; }

    public List<int> HiddenDims { get; set; } = [];

    /// <summary>Column transforms: numeric columns as empirical marginals (value = F⁻¹(Φ(output))), categorical as one-hot blocks.</summary>
    public List<CopulaColumnDocument> Columns { get; set; } = [];

    /// <summary>First output index of each column.</summary>
    public List<int> Offsets { get; set; } = [];

    /// <summary>Learned output noise σ of each numeric column (0 for categorical columns).</summary>
    public List<double> Sigmas { get; set; } = [];

    public int SampleBatchSize { get; set; }

    public int ConditionBudget { get; set; }
}
