namespace Pipelines.Synthetic.Text;

/// <summary>Turns text into token ids and back; what <see cref="OnnxCausalLmGenerator"/> needs from a tokenizer.</summary>
public interface ITextTokenizer
{
    /// <summary>Number of ids the tokenizer can produce (the model's vocabulary size).</summary>
    int VocabularySize { get; }

    /// <summary>The id fed at padding positions (masked out by the attention mask, so any valid id works).</summary>
    int PadId { get; }

    /// <summary>The end-of-text id, or null when the tokenizer has none; generation of a row stops when it is produced.</summary>
    int? EndOfTextId { get; }

    /// <summary>Encodes text to ids (no special tokens added).</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Decodes ids to text; special tokens decode to nothing.</summary>
    string Decode(ReadOnlySpan<int> ids);
}
