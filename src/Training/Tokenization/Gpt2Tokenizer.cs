using Microsoft.ML.Tokenizers;

namespace Pipelines.Training;

/// <summary>
/// GPT-2 byte-level BPE from <c>vocab.json</c> + <c>merges.txt</c>, backed by Microsoft.ML.Tokenizers'
/// <see cref="CodeGenTokenizer"/> (the same byte-level BPE and pre-tokeniser GPT-2 uses).
/// </summary>
public sealed class Gpt2Tokenizer
{
    private readonly CodeGenTokenizer _inner;

    private Gpt2Tokenizer(CodeGenTokenizer inner, int endOfTextId, int vocabularySize)
    {
        _inner = inner;
        EndOfTextId = endOfTextId;
        VocabularySize = vocabularySize;
    }

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c>; also used for padding.</summary>
    public int EndOfTextId { get; }

    /// <summary>Number of entries in <c>vocab.json</c>.</summary>
    public int VocabularySize { get; }

    /// <summary>Loads <c>vocab.json</c> and <c>merges.txt</c> from <paramref name="directory"/>.</summary>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="InvalidDataException">The vocabulary lacks <c>&lt;|endoftext|&gt;</c>.</exception>
    public static Gpt2Tokenizer Load(string directory)
    {
        var vocab = Path.Combine(directory, "vocab.json");
        var merges = Path.Combine(directory, "merges.txt");
        foreach (var file in new[] { vocab, merges })
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"Tokenizer file '{file}' does not exist: a model directory needs vocab.json and merges.txt.", file);
            }
        }

        using var vocabStream = File.OpenRead(vocab);
        using var mergesStream = File.OpenRead(merges);
        var inner = CodeGenTokenizer.Create(vocabStream, mergesStream, addPrefixSpace: false, addBeginOfSentence: false, addEndOfSentence: false);
        var eot = inner.Vocabulary.TryGetValue(BpeTrainer.EndOfText, out var id)
            ? id
            : throw new InvalidDataException($"Tokenizer vocabulary '{vocab}' has no '{BpeTrainer.EndOfText}' token.");
        return new Gpt2Tokenizer(inner, eot, inner.Vocabulary.Count);
    }

    /// <summary>Token ids of <paramref name="text"/>.</summary>
    public IReadOnlyList<int> Encode(string text)
    {
        var ids = _inner.EncodeToIds(text);
        if (ids.All(id => id < VocabularySize)) return ids;

        // CodeGenTokenizer adds CodeGen's own whitespace-run tokens (ids 50257 and up), which GPT-2 vocabularies and
        // ours lack: spell each such run with this vocabulary's byte-level tokens so every id fits the embedding table.
        var spelled = new List<int>(ids.Count + 8);
        foreach (int id in ids)
        {
            if (id < VocabularySize)
            {
                spelled.Add(id);
                continue;
            }
            foreach (char c in _inner.Decode([id]))
                spelled.AddRange(_inner.EncodeToIds(c.ToString()).Where(x => x < VocabularySize));
        }
        return spelled;
    }

    /// <summary>The text of <paramref name="ids"/>.</summary>
    public string Decode(IEnumerable<int> ids) => _inner.Decode(ids);
}
