using TorchSharp;
using static TorchSharp.torch;

namespace Pipelines.Training;

/// <summary>
/// Frozen sentence embeddings from a BERT base model, as sentence-transformers makes them for all-MiniLM-L6-v2: the
/// last hidden states' masked mean, scaled to unit length. What a linear probe is trained on.
/// </summary>
public sealed class SentenceEmbedder : IDisposable
{
    private readonly BertModel _model;
    private readonly Device _device;
    private readonly int _batchSize;

    private SentenceEmbedder(BertModel model, int padId, Device device, int batchSize)
    {
        _model = model;
        PadId = padId;
        _device = device;
        _batchSize = batchSize;
        _model.to(device);
        _model.eval();
    }

    /// <summary>The id batches are padded with (<c>[PAD]</c>).</summary>
    public int PadId { get; }

    /// <summary>Width of an embedding (the model's hidden size).</summary>
    public int Dimensions => _model.Config.HiddenSize;

    /// <summary>Opens the BERT base model in <paramref name="baseModelDirectory"/>.</summary>
    /// <exception cref="InvalidDataException">The directory is not a BERT model or lacks its files.</exception>
    public static SentenceEmbedder Open(string baseModelDirectory, Device device, int batchSize = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        TorchThreads.Use(1); // embeddings identical on every machine (see TorchThreads)
        var model = ModelDirectory.LoadBert(baseModelDirectory);
        return new SentenceEmbedder(model, BertWordPieceTokenizer.Load(baseModelDirectory).PadId, device, batchSize);
    }

    /// <summary>One unit-length embedding per example (row-major, <see cref="Dimensions"/> values a row).</summary>
    public float[][] Embed(IReadOnlyList<TrainingExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var result = new float[examples.Count][];
        using var noGrad = no_grad();
        for (var start = 0; start < examples.Count; start += _batchSize)
        {
            var count = Math.Min(_batchSize, examples.Count - start);
            var rows = Enumerable.Range(start, count).Select(i => examples[i]).ToList();
            using var scope = NewDisposeScope();
            using var batch = TrainingBatch.Create(rows, PadId, classification: true, _device);
            var pooled = MeanPooling.PoolNormalized(_model.forward(batch.Ids, batch.Mask), batch.Mask).cpu().data<float>().ToArray();
            for (var i = 0; i < count; i++)
            {
                result[start + i] = pooled.AsSpan(i * Dimensions, Dimensions).ToArray();
            }
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose() => _model.Dispose();
}
