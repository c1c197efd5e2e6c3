using FluentValidation;
using Microsoft.ML.OnnxRuntime;
using Pipelines.Synthetic.Text.Internal;

namespace Pipelines.Synthetic.Text;

/// <summary>
/// Generates text with any decoder-only ONNX model in the common layout (inputs <c>input_ids</c>, optional
/// <c>attention_mask</c>, <c>position_ids</c> and <c>past_key_values.{i}.key/value</c>; outputs <c>logits</c>
/// and <c>present.{i}.key/value</c>) on ONNX Runtime. Reuses the key/value cache when the model has one;
/// otherwise re-feeds the whole sequence each step. Prompts run in left-padded, masked batches.
/// </summary>
/// <remarks>Not thread-safe: one <see cref="Generate"/> call at a time per instance.</remarks>
public sealed class OnnxCausalLmGenerator : IDisposable
{
    /// <summary>The model file name <see cref="Load"/> looks for.</summary>
    public const string ModelFileName = "model.onnx";

    private static readonly TextGenerationOptionsValidator Validator = new();

    private readonly InferenceSession _session;
    private readonly DecoderLayout _layout;
    private readonly int _vocabularySize;

    /// <summary>Loads the model at <paramref name="modelPath"/> with <paramref name="tokenizer"/>.</summary>
    public OnnxCausalLmGenerator(string modelPath, ITextTokenizer tokenizer, SessionOptions? sessionOptions = null)
        : this(OpenSession(modelPath, sessionOptions), tokenizer)
    {
    }

    /// <summary>Loads a model from its bytes with <paramref name="tokenizer"/>.</summary>
    public OnnxCausalLmGenerator(byte[] model, ITextTokenizer tokenizer, SessionOptions? sessionOptions = null)
        : this(OpenSession(model, sessionOptions), tokenizer)
    {
    }

    private OnnxCausalLmGenerator(InferenceSession session, ITextTokenizer tokenizer)
    {
        try
        {
            ArgumentNullException.ThrowIfNull(tokenizer);
            _session = session;
            _layout = DecoderLayout.Detect(session);
            var logits = session.OutputMetadata["logits"];
            int modelVocabulary = logits.Dimensions.Length == 3 ? logits.Dimensions[2] : -1;
            if (modelVocabulary > 0 && modelVocabulary < tokenizer.VocabularySize)
            {
                throw new InvalidDataException(
                    $"The tokenizer has {tokenizer.VocabularySize} tokens but the model's logits cover only {modelVocabulary}.");
            }

            _vocabularySize = modelVocabulary > 0 ? modelVocabulary : tokenizer.VocabularySize;
            Tokenizer = tokenizer;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The tokenizer in use.</summary>
    public ITextTokenizer Tokenizer { get; }

    /// <summary>True when the model has <c>past_key_values</c> inputs and <c>present</c> outputs.</summary>
    public bool HasKvCache => _layout.HasKvCache;

    /// <summary>True when the model takes <c>position_ids</c>.</summary>
    public bool HasPositionIds => _layout.HasPositionIds;

    /// <summary>The longest sequence the model accepts, from its metadata (<c>context_length</c>), or null when not recorded.</summary>
    public int? ContextLength => _layout.ContextLength;

    /// <summary>
    /// Loads <c>model.onnx</c> from <paramref name="directory"/> with the tokenizer beside it: <c>char_tokenizer.json</c>
    /// (written by <see cref="TinyLm.Save"/>), or a BPE <c>vocab.json</c> + <c>merges.txt</c> pair.
    /// </summary>
    public static OnnxCausalLmGenerator Load(string directory, SessionOptions? sessionOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        string model = Path.Combine(directory, ModelFileName);
        if (!File.Exists(model))
        {
            throw new FileNotFoundException($"The model directory '{directory}' has no '{ModelFileName}'.", model);
        }

        ITextTokenizer tokenizer;
        string chars = Path.Combine(directory, CharTokenizer.FileName);
        string vocab = Path.Combine(directory, "vocab.json"), merges = Path.Combine(directory, "merges.txt");
        if (File.Exists(chars))
        {
            tokenizer = CharTokenizer.Load(chars);
        }
        else if (File.Exists(vocab) && File.Exists(merges))
        {
            tokenizer = MlTokenizer.FromBpeFiles(vocab, merges);
        }
        else
        {
            throw new FileNotFoundException(
                $"The model directory '{directory}' has no tokenizer: expected '{CharTokenizer.FileName}' or 'vocab.json' with 'merges.txt'.");
        }

        return new OnnxCausalLmGenerator(model, tokenizer, sessionOptions);
    }

    /// <summary>
    /// Continues each prompt; returns only the generated text (the prompt is not repeated), cut at the first stop string
    /// or end-of-text token. Prompt row i samples from its own stream of <paramref name="seed"/>, so results do not
    /// depend on <see cref="TextGenerationOptions.BatchSize"/>. Prompts longer than the model's context minus
    /// <see cref="TextGenerationOptions.MaxNewTokens"/> keep their last tokens.
    /// </summary>
    public IReadOnlyList<string> Generate(IReadOnlyList<string> prompts, TextGenerationOptions options, long seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        var validation = Validator.Validate(options);
        if (!validation.IsValid)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, validation.Errors.Select(e => e.ErrorMessage)), nameof(options));
        }

        int maxPrompt = int.MaxValue;
        if (_layout.ContextLength is int context)
        {
            if (options.MaxNewTokens >= context)
            {
                throw new ArgumentException(
                    $"'max_new_tokens' must be below the model's context length ({context}) to leave room for the prompt. You entered {options.MaxNewTokens}.",
                    nameof(options));
            }

            maxPrompt = context - options.MaxNewTokens;
        }

        var encoded = new int[prompts.Count][];
        for (int i = 0; i < prompts.Count; i++)
        {
            string prompt = prompts[i] ?? throw new ArgumentException($"Prompt {i} is null.", nameof(prompts));
            var ids = Tokenizer.Encode(prompt);
            if (ids.Count == 0)
            {
                // An empty prompt starts a new document: the end-of-text token is what precedes one in training.
                ids = Tokenizer.EndOfTextId is int eot
                    ? [eot]
                    : throw new ArgumentException($"Prompt {i} is empty and the tokenizer has no end-of-text token to start from.", nameof(prompts));
            }

            encoded[i] = ids.Count > maxPrompt ? [.. ids.Skip(ids.Count - maxPrompt)] : [.. ids];
        }

        var results = new string[prompts.Count];
        var sampler = new TokenSampler(options, _vocabularySize);
        for (int start = 0; start < prompts.Count; start += options.BatchSize)
        {
            int count = Math.Min(options.BatchSize, prompts.Count - start);
            var batch = new DecodingBatch(encoded.AsSpan(start, count), start, seed, Tokenizer.PadId);
            RunBatch(batch, options, sampler, cancellationToken);
            for (int r = 0; r < count; r++)
            {
                results[start + r] = batch.Output(r, Tokenizer);
            }
        }

        return results;
    }

    /// <inheritdoc />
    public void Dispose() => _session.Dispose();

    private static InferenceSession OpenSession(string modelPath, SessionOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"The ONNX model '{modelPath}' does not exist.", modelPath);
        }

        return options is null ? new InferenceSession(modelPath) : new InferenceSession(modelPath, options);
    }

    private static InferenceSession OpenSession(byte[] model, SessionOptions? options)
    {
        ArgumentNullException.ThrowIfNull(model);
        return options is null ? new InferenceSession(model) : new InferenceSession(model, options);
    }

    private void RunBatch(DecodingBatch batch, TextGenerationOptions options, TokenSampler sampler, CancellationToken cancellationToken)
    {
        bool cached = options.UseKvCache && _layout.HasKvCache;
        IDisposableReadOnlyCollection<OrtValue>? previous = null;
        var outputNames = new List<string> { "logits" };
        foreach (var layer in _layout.Layers)
        {
            outputNames.Add(layer.PresentKey);
            outputNames.Add(layer.PresentValue);
        }

        try
        {
            using var runOptions = new RunOptions();
            for (int step = 0; step < options.MaxNewTokens && !batch.AllFinished; step++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                bool incremental = cached && step > 0;
                var names = new List<string>();
                var values = new List<OrtValue>();
                var owned = new List<OrtValue>();
                try
                {
                    int fed = incremental ? 1 : batch.Length;
                    AddOwned("input_ids", OrtValue.CreateTensorValueFromMemory(batch.InputIds(fed), [batch.Rows, fed]));
                    if (_layout.HasAttentionMask)
                    {
                        AddOwned("attention_mask", OrtValue.CreateTensorValueFromMemory(batch.AttentionMask(), [batch.Rows, batch.Length]));
                    }

                    if (_layout.HasPositionIds)
                    {
                        AddOwned("position_ids", OrtValue.CreateTensorValueFromMemory(batch.PositionIds(fed), [batch.Rows, fed]));
                    }

                    for (int l = 0; l < _layout.Layers.Count; l++)
                    {
                        var layer = _layout.Layers[l];
                        if (incremental)
                        {
                            names.Add(layer.PastKey);
                            values.Add(previous![1 + (2 * l)]);
                            names.Add(layer.PastValue);
                            values.Add(previous[2 + (2 * l)]);
                        }
                        else
                        {
                            long[] empty = [batch.Rows, _layout.Heads, 0, _layout.HeadSize];
                            AddOwned(layer.PastKey, OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), empty));
                            AddOwned(layer.PastValue, OrtValue.CreateTensorValueFromMemory(Array.Empty<float>(), empty));
                        }
                    }

                    var outputs = _session.Run(runOptions, names, values, outputNames);
                    previous?.Dispose();
                    previous = outputs;
                }
                finally
                {
                    owned.ForEach(v => v.Dispose());
                }

                var logits = previous[0].GetTensorDataAsSpan<float>();
                int vocabulary = (int)previous[0].GetTensorTypeAndShape().Shape[2];
                int sequence = (int)previous[0].GetTensorTypeAndShape().Shape[1];
                for (int r = 0; r < batch.Rows; r++)
                {
                    int next = batch.IsFinished(r)
                        ? Tokenizer.PadId
                        : sampler.Next(logits.Slice(((r * sequence) + sequence - 1) * vocabulary, vocabulary), ref batch.Rng(r));
                    batch.Append(r, next);
                }

                batch.CheckStops(Tokenizer, options.StopStrings);

                void AddOwned(string name, OrtValue value)
                {
                    owned.Add(value);
                    names.Add(name);
                    values.Add(value);
                }
            }
        }
        finally
        {
            previous?.Dispose();
        }
    }
}
