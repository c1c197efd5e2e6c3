namespace Pipelines.Training;

/// <summary>Turns rows of text into tokenised <see cref="TrainingExample"/>s.</summary>
public sealed class ExampleBuilder
{
    private readonly Gpt2Tokenizer _tokenizer;
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

    /// <summary>Causal LM over a whole text: every token after the first is predicted; end-of-text is appended.</summary>
    public TrainingExample Text(string text)
    {
        var ids = _tokenizer.Encode(text).Append(_tokenizer.EndOfTextId).Take(_maxLength).ToArray();
        return new TrainingExample(ids);
    }

    /// <summary>Causal LM over prompt + response, with loss on the response (and end-of-text) only.</summary>
    public TrainingExample PromptResponse(string prompt, string response)
    {
        var p = _tokenizer.Encode(prompt);
        var r = _tokenizer.Encode(response);
        var ids = p.Concat(r).Append(_tokenizer.EndOfTextId).Take(_maxLength).ToArray();
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
        var ids = _tokenizer.Encode(text).Take(_maxLength).ToArray();
        return new TrainingExample(ids.Length == 0 ? [_tokenizer.EndOfTextId] : ids, null, label);
    }
}
