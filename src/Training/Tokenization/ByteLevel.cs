using System.Text.RegularExpressions;

namespace Pipelines.Training;

/// <summary>GPT-2's byte-level alphabet (each byte shown as a printable character) and its pre-tokenisation pattern.</summary>
internal static partial class ByteLevel
{
    /// <summary>Byte value to the character GPT-2's vocab uses for it.</summary>
    public static readonly char[] ByteToChar = BuildMap();

    /// <summary>Splits text the way GPT-2 does before BPE: contractions, letters, digits, other symbols, spaces.</summary>
    [GeneratedRegex(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+")]
    public static partial Regex PreTokenizer();

    private static char[] BuildMap()
    {
        var map = new char[256];
        var next = 256;
        for (var b = 0; b < 256; b++)
        {
            var printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }

        return map;
    }
}
