using Microsoft.ML.Tokenizers;

namespace Pipelines.Synthetic.Text;

/// <summary>Puts any Microsoft.ML.Tokenizers <see cref="Tokenizer"/> (BPE, SentencePiece, Tiktoken...) behind <see cref="ITextTokenizer"/>.</summary>
public sealed class MlTokenizer : ITextTokenizer
{
    private readonly Tokenizer _tokenizer;

    /// <summary>Wraps <paramref name="tokenizer"/>.</summary>
    /// <param name="tokenizer">The tokenizer.</param>
    /// <param name="vocabularySize">The model's vocabulary size.</param>
    /// <param name="padId">The id fed at padding positions.</param>
    /// <param name="endOfTextId">The end-of-text id, or null when there is none.</param>
    public MlTokenizer(Tokenizer tokenizer, int vocabularySize, int padId, int? endOfTextId)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(padId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(padId, vocabularySize);
        _tokenizer = tokenizer;
        VocabularySize = vocabularySize;
        PadId = padId;
        EndOfTextId = endOfTextId;
    }

    /// <inheritdoc />
    public int VocabularySize { get; }

    /// <inheritdoc />
    public int PadId { get; }

    /// <inheritdoc />
    public int? EndOfTextId { get; }

    /// <summary>
    /// Loads a BPE tokenizer from a <c>vocab.json</c> (token to id) and <c>merges.txt</c> pair; the end-of-text
    /// token (e.g. <c>&lt;|endoftext|&gt;</c>) is looked up in the vocabulary when given and also used for padding.
    /// </summary>
    public static MlTokenizer FromBpeFiles(string vocabPath, string mergesPath, string? endOfTextToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(vocabPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(mergesPath);
        var bpe = BpeTokenizer.Create(vocabPath, mergesPath);
        int? endOfText = null;
        if (endOfTextToken is not null)
        {
            endOfText = bpe.Vocabulary.TryGetValue(endOfTextToken, out int id)
                ? id
                : throw new InvalidDataException($"The end-of-text token '{endOfTextToken}' is not in '{vocabPath}'.");
        }

        int size = bpe.Vocabulary.Values.Max() + 1;
        return new MlTokenizer(bpe, size, endOfText ?? 0, endOfText);
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text);
    }

    /// <inheritdoc />
    public string Decode(ReadOnlySpan<int> ids)
    {
        var kept = new List<int>(ids.Length);
        foreach (int id in ids)
        {
            if (id != EndOfTextId)
            {
                kept.Add(id);
            }
        }

        return _tokenizer.Decode(kept) ?? string.Empty;
    }
}
