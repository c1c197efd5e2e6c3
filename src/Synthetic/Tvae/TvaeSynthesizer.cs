namespace Pipelines.Synthetic;

/// <summary>
/// TVAE-style neural synthesizer. Numeric columns are Gaussianised through their empirical
/// quantiles (a simple stand-in for mode-specific normalisation that also handles spikes such as
/// many zeros), categorical and boolean columns are one-hot blocks (null is a category). An
/// encoder/decoder MLP pair is trained in TorchSharp; the decoder is written to <c>decoder.onnx</c>
/// and sampling feeds random latents to ONNX Runtime in large batches, then decodes the outputs
/// (numbers: output + learned σ noise → quantile; categories: a draw from the softmax).
/// </summary>
public sealed class TvaeSynthesizer : ISynthesizer, IDisposable
{
    /// <summary>Method name used in pipelines.</summary>
    public const string MethodName = "tvae";

    internal const string ModelFile = "tvae.json";
    internal const string DecoderFile = "decoder.onnx";

    private readonly TvaeOptions _options;
    private readonly object _gate = new();
    private TvaeModelDocument? _document;
    private ColumnModel[] _columns = [];
    private byte[]? _decoder;
    private OnnxDecoderRunner? _runner;

    /// <summary>Creates an unfitted synthesizer.</summary>
    public TvaeSynthesizer(TvaeOptions? options = null)
    {
        options ??= new TvaeOptions();
        var result = new TvaeOptionsValidator().Validate(options);
        if (!result.IsValid)
        {
            throw new ArgumentException(string.Join(" ", result.Errors.Select(e => e.ErrorMessage)), nameof(options));
        }

        _options = new TvaeOptions
        {
            Epochs = options.Epochs, BatchSize = options.BatchSize, LatentDim = options.LatentDim, HiddenDims = [.. options.HiddenDims],
            LearningRate = options.LearningRate, WeightDecay = options.WeightDecay, LossFactor = options.LossFactor,
            SampleBatchSize = options.SampleBatchSize, ConditionBudget = options.ConditionBudget, ConditionColumn = options.ConditionColumn,
        };
    }

    /// <inheritdoc />
    public string Method => MethodName;

    /// <inheritdoc />
    public bool IsFitted => _decoder is not null;

    /// <summary>The ONNX decoder (input <c>z</c> [batch, latent_dim], output <c>x</c> [batch, outputs]).</summary>
    public ReadOnlyMemory<byte> DecoderModel => _decoder ?? throw new InvalidOperationException("The tvae synthesizer is not fitted.");

    /// <summary>Size of the latent space.</summary>
    public int LatentDim => _document?.LatentDim ?? _options.LatentDim;

    /// <summary>Width of the decoder's input: the latent size plus the one-hot width of the condition column, if any.</summary>
    public int DecoderInputDim => _document?.DecoderInputDim ?? _options.LatentDim;

    /// <summary>Number of decoder outputs.</summary>
    public int OutputDim => _document?.OutputDim ?? 0;

    /// <summary>Decoder outputs for the last fit, computed by TorchSharp (for checking the ONNX export).</summary>
    internal Func<float[], int, float[]>? TorchDecoder { get; private set; }

    /// <inheritdoc />
    public void Fit(ColumnTable table, long seed)
    {
        TableChecks.CheckTrainable(table);
        int n = table.RowCount;
        var marginal = new GaussianCopulaOptions { Families = [MarginalFamily.Empirical] };
        var columns = table.Columns.Select(c => c.Kind is ColumnKind.Categorical or ColumnKind.Boolean
            ? (ColumnModel)CategoricalColumnModel.Fit(c)
            : NumericColumnModel.Fit(c, marginal)).ToArray();

        var offsets = new List<int>();
        var numericOffsets = new List<long>();
        var blocks = new List<(int Offset, int Width)>();
        int width = 0;
        foreach (var column in columns)
        {
            offsets.Add(width);
            if (column is CategoricalColumnModel categorical)
            {
                blocks.Add((width, categorical.Categories.Count));
                width += categorical.Categories.Count;
            }
            else
            {
                numericOffsets.Add(width);
                width += 1;
            }
        }

        var data = new float[n * width];
        var targets = new long[n * Math.Max(1, blocks.Count)];
        Parallel.For(0, columns.Length, j =>
        {
            var column = table.Columns[j];
            int offset = offsets[j];
            if (columns[j] is CategoricalColumnModel categorical)
            {
                int block = blocks.FindIndex(b => b.Offset == offset);
                for (int i = 0; i < n; i++)
                {
                    int k = categorical.CategoryIndex(column, i);
                    data[i * width + offset + k] = 1f;
                    targets[i * Math.Max(1, blocks.Count) + block] = k;
                }
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    data[i * width + offset] = column.IsNull(i) ? 0f : (float)columns[j].Score(column, i);
                }
            }
        });

        int conditionColumn = -1;
        (int Offset, int Width)? condition = null;
        if (_options.ConditionColumn is { } name)
        {
            conditionColumn = table.IndexOf(name);
            if (conditionColumn < 0 || columns[conditionColumn] is not CategoricalColumnModel)
            {
                throw new ArgumentException(conditionColumn < 0
                    ? $"'condition_column' names unknown column '{name}'. The table has: {string.Join(", ", table.Columns.Select(c => c.Name))}."
                    : $"'condition_column' must name a categorical or boolean column; '{name}' is numeric.");
            }

            condition = blocks.Single(b => b.Offset == offsets[conditionColumn]);
        }

        int decoderInput = _options.LatentDim + (condition?.Width ?? 0);
        using var network = TvaeTrainer.Train(data, n, width, [.. numericOffsets], blocks, targets, _options, seed, condition);
        var logSigma = network.LogSigma.data<float>().ToArray();
        var sigmas = new List<double>();
        int numeric = 0;
        foreach (var column in columns)
        {
            sigmas.Add(column is NumericColumnModel ? Math.Exp(logSigma[numeric++]) : 0.0);
        }

        var decoder = TvaeDecoderExporter.Export(network, decoderInput, width);
        var torchDecoder = CaptureTorchDecoder(network, decoderInput, width);
        lock (_gate)
        {
            _runner?.Dispose();
            _runner = null;
            _decoder = decoder;
            TorchDecoder = torchDecoder;
            _document = new TvaeModelDocument
            {
                TrainingRows = n,
                LatentDim = _options.LatentDim,
                OutputDim = width,
                ConditionColumn = conditionColumn,
                DecoderInputDim = decoderInput,
                HiddenDims = [.. _options.HiddenDims],
                Columns = columns.Select(c => c.ToDocument()).ToList(),
                Offsets = offsets,
                Sigmas = sigmas,
                SampleBatchSize = _options.SampleBatchSize,
                ConditionBudget = _options.ConditionBudget,
            };
            _columns = _document.Columns.Select(ColumnModel.FromDocument).ToArray();
        }
    }

    /// <inheritdoc />
    public ColumnTable Sample(int rows, long seed)
    {
        TableChecks.CheckFitted(IsFitted, Method);
        TableChecks.CheckRows(rows);
        return SampleCore(rows, seed, fixedCategory: -1);
    }

    private ColumnTable SampleCore(int rows, long seed, int fixedCategory)
    {
        lock (_gate)
        {
            var doc = _document!;
            _runner ??= new OnnxDecoderRunner(_decoder!, doc.DecoderInputDim, doc.OutputDim, doc.SampleBatchSize);
            var targets = _columns.Select(c => ColumnModel.CreateArray(c.Storage, rows)).ToArray();
            Decode(_runner, rows, seed, targets, fixedCategory);
            return new ColumnTable(_columns.Select((c, j) => TableColumn.FromArray(c.Name, targets[j])));
        }
    }

    /// <inheritdoc />
    /// <remarks>Rejection sampling: candidate batches are drawn until enough rows match or the budget is spent.</remarks>
    public ColumnTable Sample(int rows, long seed, IReadOnlyList<ColumnCondition> conditions)
    {
        TableChecks.CheckFitted(IsFitted, Method);
        TableChecks.CheckRows(rows);
        ArgumentNullException.ThrowIfNull(conditions);
        if (conditions.Count == 0)
        {
            return Sample(rows, seed);
        }

        // A condition on the decoder's condition column is fed to the decoder; the rest are checked by rejection.
        int fixedCategory = -1;
        var rest = conditions.ToList();
        if (_document!.ConditionColumn >= 0 && rest.FindIndex(c => c.Column == _columns[_document.ConditionColumn].Name) is var at and >= 0)
        {
            fixedCategory = ((CategoricalColumnModel)_columns[_document.ConditionColumn]).ConditionIndex(rest[at].Value);
            rest.RemoveAt(at);
        }

        var checks = rest.Select(Matcher).ToArray();
        long budget = Math.Max((long)rows * _document.ConditionBudget, _document.SampleBatchSize);
        int chunk = Math.Max(_document.SampleBatchSize, Math.Min(rows * 4, 1 << 18));
        var parts = new List<ColumnTable>();
        long drawn = 0;
        int filled = 0;
        for (int c = 0; filled < rows; c++)
        {
            if (drawn >= budget)
            {
                throw new InvalidOperationException(
                    $"Only {filled} of {rows} rows matched the conditions after {drawn} candidate rows; the combination is too rare " +
                    "for the model. Relax the conditions or raise 'condition_budget'.");
            }

            var candidates = SampleCore(checks.Length == 0 ? rows : chunk, SeededRandom.Derive(seed, c), fixedCategory);
            if (checks.Length == 0)
            {
                return candidates;
            }

            drawn += chunk;
            var keep = Enumerable.Range(0, chunk).Where(i => checks.All(m => m(candidates, i))).Take(rows - filled).ToArray();
            if (keep.Length > 0)
            {
                parts.Add(candidates.Take(keep));
                filled += keep.Length;
            }
        }

        return ColumnTable.Concat(parts);
    }

    /// <inheritdoc />
    public void Save(string directory)
    {
        TableChecks.CheckFitted(IsFitted, Method);
        Directory.CreateDirectory(directory);
        SynthesizerJson.Write(Path.Combine(directory, ModelFile), _document!);
        File.WriteAllBytes(Path.Combine(directory, DecoderFile), _decoder!);
        SynthesizerManifest.Write(directory, MethodName);
    }

    /// <summary>Loads a model written by <see cref="Save"/>; needs ONNX Runtime only (no TorchSharp).</summary>
    /// <exception cref="InvalidDataException">The files are missing or not a TVAE model.</exception>
    public static TvaeSynthesizer Load(string directory)
    {
        var document = SynthesizerJson.Read<TvaeModelDocument>(Path.Combine(directory, ModelFile));
        if (document.Format != TvaeModelDocument.CurrentFormat)
        {
            throw new InvalidDataException($"'{Path.Combine(directory, ModelFile)}' has format '{document.Format}'; expected '{TvaeModelDocument.CurrentFormat}'.");
        }

        if (document.DecoderInputDim == 0)
        {
            document.DecoderInputDim = document.LatentDim;
        }

        string decoder = Path.Combine(directory, DecoderFile);
        if (!File.Exists(decoder))
        {
            throw new InvalidDataException($"'{decoder}' is missing.");
        }

        var options = new TvaeOptions
        {
            LatentDim = document.LatentDim, HiddenDims = [.. document.HiddenDims],
            SampleBatchSize = document.SampleBatchSize, ConditionBudget = document.ConditionBudget,
        };
        return new TvaeSynthesizer(options)
        {
            _document = document,
            _columns = document.Columns.Select(ColumnModel.FromDocument).ToArray(),
            _decoder = File.ReadAllBytes(decoder),
        };
    }

    /// <summary>A copy that samples with another ONNX Runtime batch size (same model).</summary>
    public TvaeSynthesizer WithSampleBatchSize(int batchSize)
    {
        TableChecks.CheckFitted(IsFitted, Method);
        var document = SynthesizerJson.Clone(_document!);
        document.SampleBatchSize = batchSize;
        return new TvaeSynthesizer(new TvaeOptions { LatentDim = document.LatentDim, HiddenDims = [.. document.HiddenDims], SampleBatchSize = batchSize })
        {
            _document = document,
            _columns = document.Columns.Select(ColumnModel.FromDocument).ToArray(),
            _decoder = _decoder,
        };
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _runner?.Dispose();
            _runner = null;
        }
    }

    private void Decode(OnnxDecoderRunner runner, int rows, long seed, Array[] targets, int fixedCategory)
    {
        var doc = _document!;
        int latent = doc.LatentDim, width = doc.OutputDim, d = _columns.Length, batch = runner.BatchSize;
        var condition = new ConditionInput(doc, _columns, fixedCategory, batch);
        // Per row: latent normals, then one normal per numeric column (output noise) and one uniform per
        // column that needs it (category draw or null draw) — a fixed count, so rows do not depend on batching.
        var needsNoise = _columns.Select(c => c is NumericColumnModel).ToArray();
        var needsUniform = _columns.Select(c => c is CategoricalColumnModel || ((NumericColumnModel)c).NullRate > 0).ToArray();
        var noise = new double[batch * d];
        var uniforms = new double[batch * d];
        var streams = new RowStreams(seed);
        var latents = runner.Latents;
        var outputs = runner.Outputs;
        for (int start = 0; start < rows; start += batch)
        {
            int count = Math.Min(batch, rows - start);
            if (batch % RowStreams.BlockRows == 0)
            {
                // Batches hold whole stream blocks: fill them in parallel, each block from its own fresh stream.
                int batchStart = start;
                int blocks = (count + RowStreams.BlockRows - 1) / RowStreams.BlockRows;
                Parallel.For(0, blocks, b =>
                {
                    var block = new RowStreams(seed);
                    int first = b * RowStreams.BlockRows;
                    int last = Math.Min(count, first + RowStreams.BlockRows);
                    for (int r = first; r < last; r++)
                    {
                        FillRow(ref block.ForRow(batchStart + r), r, latent, d, latents, noise, uniforms, needsNoise, needsUniform, condition);
                    }
                });
            }
            else
            {
                for (int r = 0; r < count; r++)
                {
                    FillRow(ref streams.ForRow(start + r), r, latent, d, latents, noise, uniforms, needsNoise, needsUniform, condition);
                }
            }

            runner.Run();
            if (count >= 1024)
            {
                int batchStart = start;
                Parallel.For(0, d, j => DecodeColumn(j, batchStart, count, width, d, doc, outputs, noise, uniforms, targets[j], condition));
            }
            else
            {
                for (int j = 0; j < d; j++)
                {
                    DecodeColumn(j, start, count, width, d, doc, outputs, noise, uniforms, targets[j], condition);
                }
            }
        }
    }

    private static void FillRow(ref SeededRandom random, int r, int latent, int d, float[] latents, double[] noise, double[] uniforms,
        bool[] needsNoise, bool[] needsUniform, ConditionInput condition)
    {
        int stride = latent + condition.Width;
        for (int k = 0; k < latent; k++)
        {
            latents[r * stride + k] = (float)random.NextGaussian();
        }

        condition.Fill(ref random, r, latents.AsSpan(r * stride + latent, condition.Width));

        for (int j = 0; j < d; j++)
        {
            if (needsNoise[j])
            {
                noise[r * d + j] = random.NextGaussian();
            }
        }

        for (int j = 0; j < d; j++)
        {
            if (needsUniform[j])
            {
                uniforms[r * d + j] = random.NextDouble();
            }
        }
    }

    private void DecodeColumn(int j, int start, int count, int width, int d, TvaeModelDocument doc, float[] outputs, double[] noise, double[] uniforms, Array target,
        ConditionInput condition)
    {
        int offset = doc.Offsets[j];
        if (j == doc.ConditionColumn)
        {
            // The decoder was told the category: write it rather than draw from the reconstruction.
            ((CategoricalColumnModel)_columns[j]).WriteCategories(condition.Chosen.AsSpan(0, count), target, start);
            return;
        }

        if (_columns[j] is CategoricalColumnModel categorical)
        {
            int k = categorical.Categories.Count;
            var indices = new int[count];
            Span<float> scratch = k <= 512 ? stackalloc float[k] : new float[k];
            for (int r = 0; r < count; r++)
            {
                indices[r] = SampleSoftmax(outputs.AsSpan(r * width + offset, k), uniforms[r * d + j], scratch);
            }

            categorical.WriteCategories(indices, target, start);
            return;
        }

        var numeric = (NumericColumnModel)_columns[j];
        double sigma = doc.Sigmas[j];
        var z = new double[count];
        for (int r = 0; r < count; r++)
        {
            z[r] = outputs[r * width + offset] + sigma * noise[r * d + j];
        }

        var unused = default(SeededRandom);
        numeric.Decode(z, target, start, ref unused, allowNull: false);
        double nullRate = numeric.NullRate;
        if (nullRate > 0)
        {
            for (int r = 0; r < count; r++)
            {
                if (uniforms[r * d + j] < nullRate)
                {
                    target.SetValue(null, start + r);
                }
            }
        }
    }

    private static int SampleSoftmax(ReadOnlySpan<float> logits, double u, Span<float> scratch)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits)
        {
            max = Math.Max(max, v);
        }

        float sum = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            scratch[k] = MathF.Exp(logits[k] - max);
            sum += scratch[k];
        }

        float threshold = (float)u * sum, cumulative = 0;
        for (int k = 0; k < logits.Length; k++)
        {
            cumulative += scratch[k];
            if (cumulative > threshold)
            {
                return k;
            }
        }

        return logits.Length - 1;
    }

    private Func<ColumnTable, int, bool> Matcher(ColumnCondition condition)
    {
        int j = Array.FindIndex(_columns, c => c.Name == condition.Column);
        if (j < 0)
        {
            throw new ArgumentException(
                $"Condition names unknown column '{condition.Column}'. The model has: {string.Join(", ", _columns.Select(c => c.Name))}.",
                nameof(condition));
        }

        if (_columns[j] is CategoricalColumnModel categorical)
        {
            string? label = categorical.Categories[categorical.ConditionIndex(condition.Value)];
            return categorical.Storage == ColumnStorage.Boolean
                ? (t, i) => ((bool?[])t.Columns[j].Values)[i] is { } b && (b ? "true" : "false") == label
                : (t, i) => ((string?[])t.Columns[j].Values)[i] == label;
        }

        var numeric = (NumericColumnModel)_columns[j];
        var (low, _) = numeric.LatentInterval(condition.Value);
        double target = numeric.Value(low);
        return (t, i) => t.Columns[j].Values switch
        {
            long?[] l => l[i] is { } v && v == target,
            double?[] v => v[i] is { } x && x == target,
            DateTime?[] s => s[i] is { } x && Math.Abs((x - DateTime.UnixEpoch).TotalSeconds - target) < 1e-6,
            _ => false,
        };
    }

    private static Func<float[], int, float[]> CaptureTorchDecoder(TvaeNetwork network, int latent, int width)
    {
        // Keep a detached copy of the decoder weights so tests can compare ONNX Runtime with TorchSharp.
        var layers = network.Decoder.Select(l => (W: l.weight!.data<float>().ToArray(), B: l.bias!.data<float>().ToArray(),
            Out: (int)l.weight.shape[0], In: (int)l.weight.shape[1])).ToArray();
        return (z, rows) =>
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var h = TorchSharp.torch.tensor(z, [rows, latent]);
            for (int i = 0; i < layers.Length; i++)
            {
                var w = TorchSharp.torch.tensor(layers[i].W, [layers[i].Out, layers[i].In]);
                var b = TorchSharp.torch.tensor(layers[i].B, [layers[i].Out]);
                h = TorchSharp.torch.nn.functional.linear(h, w, b);
                if (i < layers.Length - 1)
                {
                    h = TorchSharp.torch.nn.functional.relu(h);
                }
            }

            return h.data<float>().ToArray();
        };
    }
}
