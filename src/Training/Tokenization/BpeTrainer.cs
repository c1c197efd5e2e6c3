using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Training;

/// <summary>
/// Trains a GPT-2 style byte-level BPE vocabulary on a corpus and saves it as <c>vocab.json</c> +
/// <c>merges.txt</c>, the files <see cref="Gpt2Tokenizer"/> loads. Deterministic: ties between equally
/// frequent pairs go to the ordinally smaller pair of strings.
/// </summary>
public static class BpeTrainer
{
    /// <summary>The end-of-text token GPT-2 uses; always the last id of a trained vocabulary.</summary>
    public const string EndOfText = "<|endoftext|>";

    /// <summary>Learns merges until the vocabulary has <paramref name="vocabSize"/> entries or no pair occurs <paramref name="minFrequency"/> times.</summary>
    /// <returns>The tokens in id order and the merges in rank order.</returns>
    /// <exception cref="ArgumentException"><paramref name="vocabSize"/> is below 257 or <paramref name="minFrequency"/> below 1.</exception>
    public static (IReadOnlyList<string> Vocabulary, IReadOnlyList<(string Left, string Right)> Merges) Train(
        IEnumerable<string> corpus, int vocabSize, int minFrequency = 2)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        if (vocabSize < 257)
        {
            throw new ArgumentException($"'vocab_size' must be at least 257 (256 bytes + end-of-text). You entered {vocabSize}.", nameof(vocabSize));
        }

        if (minFrequency < 1)
        {
            throw new ArgumentException($"'min_frequency' must be at least 1. You entered {minFrequency}.", nameof(minFrequency));
        }

        var symbols = new List<string>(vocabSize);
        for (var b = 0; b < 256; b++)
        {
            symbols.Add(ByteLevel.ByteToChar[b].ToString());
        }

        var words = CountWords(corpus);
        var merges = new List<(string, string)>();
        var pairCounts = new Dictionary<long, long>();
        while (symbols.Count < vocabSize - 1)
        {
            pairCounts.Clear();
            foreach (var (ids, count) in words)
            {
                for (var i = 0; i + 1 < ids.Count; i++)
                {
                    var key = ((long)ids[i] << 32) | (uint)ids[i + 1];
                    pairCounts[key] = pairCounts.GetValueOrDefault(key) + count;
                }
            }

            long bestKey = -1, bestCount = 0;
            foreach (var (key, count) in pairCounts)
            {
                if (count > bestCount || (count == bestCount && ComparePairs(symbols, key, bestKey) < 0))
                {
                    bestKey = key;
                    bestCount = count;
                }
            }

            if (bestKey < 0 || bestCount < minFrequency)
            {
                break;
            }

            var left = (int)(bestKey >> 32);
            var right = (int)(bestKey & 0xFFFFFFFF);
            var merged = symbols.Count;
            symbols.Add(symbols[left] + symbols[right]);
            merges.Add((symbols[left], symbols[right]));
            foreach (var (ids, _) in words)
            {
                for (var i = 0; i + 1 < ids.Count; i++)
                {
                    if (ids[i] == left && ids[i + 1] == right)
                    {
                        ids[i] = merged;
                        ids.RemoveAt(i + 1);
                    }
                }
            }
        }

        symbols.Add(EndOfText);
        return (symbols, merges);
    }

    /// <summary>Trains on <paramref name="corpus"/> and writes <c>vocab.json</c> and <c>merges.txt</c> into <paramref name="directory"/>.</summary>
    public static void TrainAndSave(IEnumerable<string> corpus, int vocabSize, string directory, int minFrequency = 2)
    {
        var (vocabulary, merges) = Train(corpus, vocabSize, minFrequency);
        Save(vocabulary, merges, directory);
    }

    /// <summary>Writes a vocabulary (id order) and merges (rank order) in GPT-2's file formats.</summary>
    public static void Save(IReadOnlyList<string> vocabulary, IReadOnlyList<(string Left, string Right)> merges, string directory)
    {
        Directory.CreateDirectory(directory);
        using (var stream = File.Create(Path.Combine(directory, "vocab.json")))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            for (var i = 0; i < vocabulary.Count; i++)
            {
                writer.WriteNumber(vocabulary[i], i);
            }

            writer.WriteEndObject();
        }

        var text = new StringBuilder("#version: 0.2\n");
        foreach (var (l, r) in merges)
        {
            text.Append(l).Append(' ').Append(r).Append('\n');
        }

        File.WriteAllText(Path.Combine(directory, "merges.txt"), text.ToString(), new UTF8Encoding(false));
    }

    private static List<(List<int> Ids, long Count)> CountWords(IEnumerable<string> corpus)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var regex = ByteLevel.PreTokenizer();
        foreach (var text in corpus)
        {
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            foreach (var match in regex.EnumerateMatches(text))
            {
                var word = text.Substring(match.Index, match.Length);
                counts[word] = counts.GetValueOrDefault(word) + 1;
            }
        }

        // Sorted so that the result never depends on dictionary order.
        return counts.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => (Encoding.UTF8.GetBytes(p.Key).Select(b => (int)b).ToList(), p.Value))
            .ToList();
    }

    private static int ComparePairs(List<string> symbols, long a, long b)
    {
        if (b < 0)
        {
            return -1;
        }

        var c = string.CompareOrdinal(symbols[(int)(a >> 32)], symbols[(int)(b >> 32)]);
        return c != 0 ? c : string.CompareOrdinal(symbols[(int)(a & 0xFFFFFFFF)], symbols[(int)(b & 0xFFFFFFFF)]);
    }
}
