namespace Pipelines.Training;

/// <summary>Turns rows of text into tokenised <see cref="TrainingExample"/>s (GPT-2 BPE, or BERT WordPiece for classification).</summary>
public sealed class ExampleBuilder
{
    private readonly Gpt2Tokenizer? _tokenizer;
    private readonly BertWordPieceTokenizer? _wordPiece;
    private readonly int _maxLength;

    /// <summary>Creates a builder that truncates every example to <paramref name="maxLength"/> tokens.</summary>
    public ExampleBuilder(Gpt2Tokenizer tokenizer, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (maxLength < 2)
        {
            throw new ArgumentException($"'max_length' must be at least 2. You entered {maxLength}.", nameof(maxLength));
        }

        _tokenizer = tokenizer;
        _maxLength = maxLength;
    }

    /// <summary>Creates a builder for a BERT encoder: classification only, each text as <c>[CLS] … [SEP]</c> within <paramref name="maxLength"/>.</summary>
    public ExampleBuilder(BertWordPieceTokenizer tokenizer, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (maxLength < 2)
        {
            throw new ArgumentException($"'max_length' must be at least 2. You entered {maxLength}.", nameof(maxLength));
        }

        _wordPiece = tokenizer;
        _maxLength = maxLength;
    }

    /// <summary>The builder for the base model in <paramref name="directory"/>, by its layout.</summary>
    public static ExampleBuilder ForModel(string directory, IModelConfig config, int maxLength) => config is BertConfig
        ? new ExampleBuilder(BertWordPieceTokenizer.Load(directory), Math.Min(maxLength, config.Positions))
        : new ExampleBuilder(Gpt2Tokenizer.Load(directory), Math.Min(maxLength, config.Positions));

    /// <summary>The id batches are padded with: GPT-2's end-of-text, BERT's <c>[PAD]</c>.</summary>
    public int PadId => _wordPiece?.PadId ?? _tokenizer!.EndOfTextId;

    /// <summary>Causal LM over a whole text: every token after the first is predicted; end-of-text is appended.</summary>
    public TrainingExample Text(string text)
    {
        var tokenizer = CausalTokenizer();
        var ids = tokenizer.Encode(text).Append(tokenizer.EndOfTextId).Take(_maxLength).ToArray();
        return new TrainingExample(ids);
    }

    /// <summary>Causal LM over prompt + response, with loss on the response (and end-of-text) only.</summary>
    public TrainingExample PromptResponse(string prompt, string response)
    {
        var tokenizer = CausalTokenizer();
        var p = tokenizer.Encode(prompt);
        var r = tokenizer.Encode(response);
        var ids = p.Concat(r).Append(tokenizer.EndOfTextId).Take(_maxLength).ToArray();
        var mask = new bool[ids.Length];
        for (var i = p.Count; i < ids.Length; i++)
        {
            mask[i] = true;
        }

        return new TrainingExample(ids, mask);
    }

    /// <summary>Classification: the text's tokens (truncated) and the class index.</summary>
    public TrainingExample Classification(string text, int label)
    {
        if (_wordPiece is not null)
        {
            return new TrainingExample(_wordPiece.Encode(text, _maxLength), null, label);
        }

        var ids = _tokenizer!.Encode(text).Take(_maxLength).ToArray();
        return new TrainingExample(ids.Length == 0 ? [_tokenizer.EndOfTextId] : ids, null, label);
    }

    // BERT is an encoder: it predicts no next token, so it is fine-tuned for classification only.
    private Gpt2Tokenizer CausalTokenizer() => _tokenizer
        ?? throw new InvalidOperationException("A BERT base model is an encoder: 'task' must be classification.");
}
