using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// Hashes the word n-gram shingles of a text to 64-bit values (XxHash3). Words are runs of
/// non-white-space characters; a text with fewer than n words gives one shingle of all its words.
/// An instance reuses its buffers, so use one per thread.
/// </summary>
public sealed class ShingleHasher
{
    private ulong[] _words = new ulong[128];
    private ulong[] _shingles = new ulong[128];

    /// <summary>Creates a hasher for shingles of <paramref name="ngramSize"/> words.</summary>
    public ShingleHasher(int ngramSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ngramSize, 1);
        NgramSize = ngramSize;
    }

    /// <summary>Number of words per shingle.</summary>
    public int NgramSize { get; }

    /// <summary>
    /// Returns the shingle hashes of <paramref name="text"/> in text order (duplicates kept). The span
    /// is valid until the next call. An empty or all-white-space text has no shingles.
    /// </summary>
    public ReadOnlySpan<ulong> Hash(ReadOnlySpan<char> text)
    {
        int wordCount = HashWords(text);
        if (wordCount == 0)
        {
            return ReadOnlySpan<ulong>.Empty;
        }

        int n = Math.Min(NgramSize, wordCount);
        int shingleCount = wordCount - n + 1;
        if (_shingles.Length < shingleCount)
        {
            _shingles = new ulong[Math.Max(shingleCount, _shingles.Length * 2)];
        }

        ReadOnlySpan<ulong> words = _words.AsSpan(0, wordCount);
        Span<ulong> shingles = _shingles.AsSpan(0, shingleCount);
        if (n == 1)
        {
            words.CopyTo(shingles);
        }
        else
        {
            for (int i = 0; i < shingleCount; i++)
            {
                shingles[i] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(words.Slice(i, n)));
            }
        }

        return shingles;
    }

    /// <summary>Returns the sorted distinct shingle hashes of <paramref name="text"/> (for exact Jaccard).</summary>
    public ulong[] HashSet(ReadOnlySpan<char> text)
    {
        ReadOnlySpan<ulong> shingles = Hash(text);
        if (shingles.IsEmpty)
        {
            return [];
        }

        ulong[] set = shingles.ToArray();
        Array.Sort(set);
        int distinct = 1;
        for (int i = 1; i < set.Length; i++)
        {
            if (set[i] != set[distinct - 1])
            {
                set[distinct++] = set[i];
            }
        }

        return distinct == set.Length ? set : set.AsSpan(0, distinct).ToArray();
    }

    private int HashWords(ReadOnlySpan<char> text)
    {
        int count = 0;
        int i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            int start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i > start)
            {
                if (count == _words.Length)
                {
                    Array.Resize(ref _words, _words.Length * 2);
                }

                _words[count++] = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text[start..i]));
            }
        }

        return count;
    }
}
