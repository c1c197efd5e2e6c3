using Microsoft.ML.Tokenizers;

namespace Pipelines.Training;

/// <summary>
/// BERT's WordPiece tokenisation (Microsoft.ML.Tokenizers' <c>BertTokenizer</c> over a model directory's
/// <c>vocab.txt</c>): basic splitting, lower-casing when <c>do_lower_case</c>, <c>[CLS] … [SEP]</c>, truncation and
/// right padding with <c>[PAD]</c>, as transformers' <c>BertTokenizer</c> does.
/// </summary>
public sealed class BertWordPieceTokenizer
{
    /// <summary>The vocabulary file name.</summary>
    public const string VocabFile = "vocab.txt";

    /// <summary>The tokenizer settings file name.</summary>
    public const string ConfigFile = "tokenizer_config.json";

    private readonly BertTokenizer _tokenizer;

    private BertWordPieceTokenizer(BertTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>Id of <c>[CLS]</c>.</summary>
    public int ClsId => _tokenizer.ClassificationTokenId;

    /// <summary>Id of <c>[SEP]</c>.</summary>
    public int SepId => _tokenizer.SeparatorTokenId;

    /// <summary>Id of <c>[PAD]</c>.</summary>
    public int PadId => _tokenizer.PaddingTokenId;

    /// <summary>Reads <c>vocab.txt</c> and, when present, <c>do_lower_case</c> from <c>tokenizer_config.json</c> (default true).</summary>
    /// <exception cref="InvalidDataException">The directory has no vocab.txt.</exception>
    public static BertWordPieceTokenizer Load(string directory)
    {
        var vocab = Path.Combine(directory, VocabFile);
        if (!File.Exists(vocab))
        {
            throw new InvalidDataException($"Model directory '{directory}' has no {VocabFile}: a BERT model needs its WordPiece vocabulary.");
        }

        var config = Path.Combine(directory, ConfigFile);
        var lowerCase = File.Exists(config) ? ConfigJson.Bool(ConfigJson.ReadObject(config), "do_lower_case") ?? true : true;
        return new BertWordPieceTokenizer(BertTokenizer.Create(vocab, new BertOptions { LowerCaseBeforeTokenization = lowerCase }));
    }

    /// <summary>A tokenizer over a WordPiece vocabulary given as bytes (a packaged model's <c>vocab.txt</c> resource).</summary>
    public static BertWordPieceTokenizer FromVocabulary(byte[] vocab, bool lowerCase)
    {
        ArgumentNullException.ThrowIfNull(vocab);
        using var stream = new MemoryStream(vocab, writable: false);
        return new BertWordPieceTokenizer(BertTokenizer.Create(stream, new BertOptions { LowerCaseBeforeTokenization = lowerCase }));
    }

    /// <summary>Writes <c>tokenizer_config.json</c> for a BERT tokenizer with the given casing.</summary>
    public static void SaveConfig(string directory, bool lowerCase, int maxLength)
    {
        var o = new System.Text.Json.Nodes.JsonObject
        {
            ["tokenizer_class"] = "BertTokenizer",
            ["do_lower_case"] = lowerCase,
            ["model_max_length"] = maxLength,
            ["cls_token"] = "[CLS]",
            ["sep_token"] = "[SEP]",
            ["pad_token"] = "[PAD]",
            ["unk_token"] = "[UNK]",
            ["mask_token"] = "[MASK]",
        };
        File.WriteAllText(Path.Combine(directory, ConfigFile), o.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    /// <summary><c>[CLS]</c>, the text's WordPiece ids, <c>[SEP]</c>; at most <paramref name="maxLength"/> ids (the text is cut, the markers kept).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxLength"/> is below 2.</exception>
    public int[] Encode(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var pieces = _tokenizer.EncodeToIds(text, addSpecialTokens: false, considerPreTokenization: true, considerNormalization: true);
        var kept = Math.Min(pieces.Count, maxLength - 2);
        var ids = new int[kept + 2];
        ids[0] = ClsId;
        for (var i = 0; i < kept; i++)
        {
            ids[i + 1] = pieces[i];
        }

        ids[^1] = SepId;
        return ids;
    }

    /// <summary>Encodes each text and right-pads to the longest with <c>[PAD]</c>; the mask is 1 on tokens, 0 on padding.</summary>
    public TokenizedBatch EncodeBatch(IReadOnlyList<string> texts, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rows = texts.Select(t => Encode(t, maxLength)).ToList();
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Length);
        var ids = new long[rows.Count * columns];
        var mask = new long[rows.Count * columns];
        Array.Fill(ids, PadId);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                ids[(r * columns) + c] = rows[r][c];
                mask[(r * columns) + c] = 1;
            }
        }

        return new TokenizedBatch(ids, mask, rows.Count, columns);
    }
}
