using System.Buffers;

namespace Pipelines.Stages.Dedup;

/// <summary>Normalises text for comparison: NFKC, case fold, white-space collapse, punctuation strip.</summary>
public sealed class TextNormalizer
{
    private readonly bool _nfkc;
    private readonly bool _caseFold;
    private readonly bool _collapseWhitespace;
    private readonly bool _stripPunctuation;

    /// <summary>Creates a normaliser with a copy of the given options.</summary>
    public TextNormalizer(TextNormalizationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _nfkc = options.Nfkc;
        _caseFold = options.CaseFold;
        _collapseWhitespace = options.CollapseWhitespace;
        _stripPunctuation = options.StripPunctuation;
    }

    /// <summary>Returns the normalised form of <paramref name="text"/>; null stays null.</summary>
    public string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        string source = _nfkc ? IcuNormalizer.Nfkc(text) : text;
        if (!_caseFold && !_collapseWhitespace && !_stripPunctuation)
        {
            return source;
        }

        char[] rented = ArrayPool<char>.Shared.Rent(Math.Max(1, source.Length));
        try
        {
            int length = Transform(source, rented);
            return source.AsSpan().SequenceEqual(rented.AsSpan(0, length)) ? source : new string(rented, 0, length);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    // One pass over the characters; the output is never longer than the input.
    private int Transform(ReadOnlySpan<char> source, Span<char> destination)
    {
        int written = 0;
        bool pendingSpace = false;
        foreach (char raw in source)
        {
            char c = raw;
            if (_stripPunctuation && char.IsPunctuation(c))
            {
                continue;
            }

            if (_collapseWhitespace && char.IsWhiteSpace(c))
            {
                pendingSpace = written > 0;
                continue;
            }

            if (pendingSpace)
            {
                destination[written++] = ' ';
                pendingSpace = false;
            }

            destination[written++] = _caseFold ? char.ToLowerInvariant(c) : c;
        }

        return written;
    }
}
