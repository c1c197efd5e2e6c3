using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Synthetic.Text;

/// <summary>
/// A character-level tokenizer: ids 0..2 are padding, unknown and end-of-text; every other id is one
/// UTF-16 character seen in the training text, in ordinal order (so the vocabulary does not depend on row order).
/// </summary>
public sealed class CharTokenizer : ITextTokenizer
{
    /// <summary>The file name <see cref="Save"/> writes and the generator looks for.</summary>
    public const string FileName = "char_tokenizer.json";

    private const string Format = "pipelines-char-tokenizer";
    private const int FirstCharacterId = 3;

    private readonly char[] _characters;
    private readonly Dictionary<char, int> _ids;

    private CharTokenizer(char[] characters)
    {
        _characters = characters;
        _ids = new Dictionary<char, int>(characters.Length);
        for (int i = 0; i < characters.Length; i++)
        {
            if (!_ids.TryAdd(characters[i], FirstCharacterId + i))
            {
                throw new InvalidDataException($"The character vocabulary lists '{characters[i]}' twice.");
            }
        }
    }

    /// <summary>The padding id (0).</summary>
    public int PadId => 0;

    /// <summary>The id of characters not in the vocabulary (1).</summary>
    public int UnknownId => 1;

    /// <summary>The end-of-text id (2).</summary>
    public int? EndOfTextId => 2;

    /// <inheritdoc />
    public int VocabularySize => FirstCharacterId + _characters.Length;

    /// <summary>The characters in id order, starting at id 3.</summary>
    public IReadOnlyList<char> Characters => _characters;

    /// <summary>Builds the vocabulary from every character in <paramref name="texts"/>.</summary>
    public static CharTokenizer Build(IEnumerable<string?> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var seen = new HashSet<char>();
        foreach (string? text in texts)
        {
            if (text is not null)
            {
                seen.UnionWith(text);
            }
        }

        var characters = seen.ToArray();
        Array.Sort(characters);
        return new CharTokenizer(characters);
    }

    /// <summary>Reads a vocabulary written by <see cref="Save"/>.</summary>
    public static CharTokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var root = JsonNode.Parse(File.ReadAllText(path, Encoding.UTF8)) as JsonObject
            ?? throw new InvalidDataException($"'{path}' is not a JSON object.");
        if ((string?)root["format"] != Format)
        {
            throw new InvalidDataException($"'{path}' is not a character vocabulary: its 'format' must be '{Format}'.");
        }

        // 'code_units' is exact; 'characters' alone (older files) cannot hold unpaired surrogates.
        if (root["code_units"] is JsonArray units)
        {
            return new CharTokenizer(units.Select(u => (char)(int)u!).ToArray());
        }

        string characters = (string?)root["characters"] ?? throw new InvalidDataException($"'{path}' has no 'code_units' list or 'characters' string.");
        return new CharTokenizer(characters.ToCharArray());
    }

    /// <summary>Writes the vocabulary as JSON: the characters as text (to read) and as UTF-16 code units (exact).</summary>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var root = new JsonObject
        {
            ["format"] = Format,
            ["pad_id"] = PadId,
            ["unknown_id"] = UnknownId,
            ["end_of_text_id"] = EndOfTextId,
            ["characters"] = new string(_characters),

            // Text with characters outside the BMP splits into surrogate halves, which JSON text cannot carry alone.
            ["code_units"] = new JsonArray(_characters.Select(c => (JsonNode)(int)c).ToArray()),
        };
        File.WriteAllText(path, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));
    }

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            ids[i] = _ids.TryGetValue(text[i], out int id) ? id : UnknownId;
        }

        return ids;
    }

    /// <inheritdoc />
    public string Decode(ReadOnlySpan<int> ids)
    {
        var builder = new StringBuilder(ids.Length);
        foreach (int id in ids)
        {
            if (id == UnknownId)
            {
                builder.Append('\uFFFD');
            }
            else if (id >= FirstCharacterId && id < VocabularySize)
            {
                builder.Append(_characters[id - FirstCharacterId]);
            }
        }

        return builder.ToString();
    }
}
