namespace Pipelines.Synthetic;

/// <summary>Options of the TVAE-style neural synthesizer (plain data; see <see cref="TvaeOptionsValidator"/>).</summary>
public sealed class TvaeOptions
{
    /// <summary>Training passes over the table. Default 50.</summary>
    public int Epochs { get; set; } = 50;

    /// <summary>Rows per training step. Default 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Size of the latent space. Default 16.</summary>
    public int LatentDim { get; set; } = 16;

    /// <summary>Widths of the hidden layers of the encoder and (mirrored) decoder. Default [128, 128].</summary>
    public List<int> HiddenDims { get; set; } = [128, 128];

    /// <summary>Adam learning rate. Default 0.001.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>Adam weight decay (L2). Default 0.00001.</summary>
    public double WeightDecay { get; set; } = 1e-5;

    /// <summary>Weight of the reconstruction loss against the KL term (TVAE's loss_factor). Default 2.</summary>
    public double LossFactor { get; set; } = 2.0;

    /// <summary>
    /// A categorical or boolean column the decoder also takes as input (a conditional VAE): rows are
    /// generated for a drawn or requested category of it, so conditions on it need no rejection. Default: none.
    /// </summary>
    public string? ConditionColumn { get; set; }

    /// <summary>Rows per ONNX Runtime call when sampling (4096 measured fastest here; larger batches spill the caches). Default 4096.</summary>
    public int SampleBatchSize { get; set; } = 4096;

    /// <summary>Conditional sampling draws at most this many candidate rows per requested row. Default 200.</summary>
    public int ConditionBudget { get; set; } = 200;
}
