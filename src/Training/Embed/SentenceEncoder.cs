using Microsoft.ML.OnnxRuntime;
using Pipelines.Training.Packaged;

namespace Pipelines.Training.Embed;

/// <summary>
/// Sentence embeddings from a packaged model's own ONNX graph under ONNX Runtime: WordPiece tokenisation
/// (<see cref="BertWordPieceTokenizer"/>), the graph's last hidden state, the mean over real tokens and (by default)
/// L2 normalisation, as sentence-transformers computes all-MiniLM-L6-v2 embeddings. Not thread-safe.
/// </summary>
public sealed class SentenceEncoder : IDisposable
{
    private readonly InferenceSession _session;
    private readonly BertWordPieceTokenizer _tokenizer;
    private readonly SentenceEncoderOptions _options;
    private readonly bool _takesTokenTypes;
    private readonly RunOptions _run = new();

    /// <summary>Loads the packaged model <paramref name="model"/> (<c>package:all-MiniLM-L6-v2</c> or its bare name).</summary>
    /// <exception cref="ArgumentException">Unknown model or options out of range.</exception>
    public SentenceEncoder(string model, SentenceEncoderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new SentenceEncoderOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1, nameof(options.BatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxLength, 2, nameof(options.MaxLength));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.MaxLength, EmbedConstants.MaxMaxLength, nameof(options.MaxLength));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Threads, 1, nameof(options.Threads));
        _options = new SentenceEncoderOptions { BatchSize = options.BatchSize, MaxLength = options.MaxLength, Normalize = options.Normalize, Threads = options.Threads };
        Model = PackagedModels.Find(model);
        var (onnx, vocab) = PackagedModels.ReadResources(Model.Name);
        _tokenizer = BertWordPieceTokenizer.FromVocabulary(vocab, lowerCase: true);

        // Sequential execution and a fixed intra-op thread count: the thread count is part of the configuration,
        // so a run is reproducible; the embed tests also check that 1 and 2 threads give the same bytes.
        using var session = new SessionOptions
        {
            IntraOpNumThreads = _options.Threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, // attention, LayerNorm and GELU fusions
        };
        _session = new InferenceSession(onnx, session);
        if (!_session.OutputMetadata.ContainsKey(EmbedConstants.HiddenStateOutput))
        {
            throw new InvalidDataException($"Packaged model '{Model.Name}' has no '{EmbedConstants.HiddenStateOutput}' output; it has {string.Join(", ", _session.OutputMetadata.Keys)}.");
        }

        _takesTokenTypes = _session.InputMetadata.ContainsKey("token_type_ids");
        Dimensions = Encode([""])[0].Length;
    }

    /// <summary>The packaged model.</summary>
    public PackagedModel Model { get; }

    /// <summary>Floats per embedding (384 for all-MiniLM-L6-v2).</summary>
    public int Dimensions { get; }

    /// <summary>
    /// One embedding per text, in order. Texts are batched by token length (so little padding is computed); the
    /// batches depend only on the texts and options, so the result does too.
    /// </summary>
    public float[][] Encode(IReadOnlyList<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var ids = new int[texts.Count][];
        for (int i = 0; i < ids.Length; i++)
        {
            ids[i] = _tokenizer.Encode(texts[i] ?? "", _options.MaxLength);
        }

        var order = Enumerable.Range(0, ids.Length).OrderBy(i => ids[i].Length).ToArray(); // stable: ties keep row order
        var result = new float[ids.Length][];
        for (int start = 0; start < order.Length; start += _options.BatchSize)
        {
            var rows = order.AsSpan(start, Math.Min(_options.BatchSize, order.Length - start)).ToArray();
            var pooled = EncodeBatch(rows.Select(r => ids[r]).ToArray());
            for (int k = 0; k < rows.Length; k++)
            {
                result[rows[k]] = pooled[k];
            }
        }

        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _session.Dispose();
        _run.Dispose();
    }

    private float[][] EncodeBatch(int[][] rows)
    {
        int columns = rows.Max(r => r.Length);
        long[] shape = [rows.Length, columns];
        var ids = new long[rows.Length * columns];
        var mask = new long[rows.Length * columns];
        Array.Fill(ids, _tokenizer.PadId);
        for (int r = 0; r < rows.Length; r++)
        {
            for (int c = 0; c < rows[r].Length; c++)
            {
                ids[(r * columns) + c] = rows[r][c];
                mask[(r * columns) + c] = 1;
            }
        }

        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], shape);
        var names = new List<string> { "input_ids", "attention_mask" };
        var values = new List<OrtValue> { idsValue, maskValue };
        if (_takesTokenTypes)
        {
            names.Add("token_type_ids");
            values.Add(typesValue);
        }

        using var outputs = _session.Run(_run, names, values, [EmbedConstants.HiddenStateOutput]);
        var hidden = outputs[0].GetTensorDataAsSpan<float>();
        int width = hidden.Length / (rows.Length * columns);
        var pooled = new float[rows.Length][];
        for (int r = 0; r < rows.Length; r++)
        {
            pooled[r] = Pool(hidden.Slice(r * columns * width, rows[r].Length * width), rows[r].Length, width, _options.Normalize);
        }

        return pooled;
    }

    // The mean of a row's real token states (padding comes after them, so they are its first `tokens` states), then
    // divided by max(‖x‖, 1e-12) as torch.nn.functional.normalize does. A fixed summation order: same input, same bits.
    private static float[] Pool(ReadOnlySpan<float> states, int tokens, int width, bool normalize)
    {
        var sum = new float[width];
        for (int t = 0; t < tokens; t++)
        {
            var state = states.Slice(t * width, width);
            for (int c = 0; c < width; c++)
            {
                sum[c] += state[c];
            }
        }

        double squares = 0;
        for (int c = 0; c < width; c++)
        {
            sum[c] /= tokens;
            squares += (double)sum[c] * sum[c];
        }

        if (normalize)
        {
            float norm = (float)Math.Max(Math.Sqrt(squares), 1e-12);
            for (int c = 0; c < width; c++)
            {
                sum[c] /= norm;
            }
        }

        return sum;
    }
}
