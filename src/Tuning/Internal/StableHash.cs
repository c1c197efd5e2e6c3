namespace Pipelines.Tuning.Internal;

/// <summary>Process-independent hashing (string.GetHashCode is randomised per process).</summary>
internal static class StableHash
{
    /// <summary>FNV-1a over the UTF-16 code units of <paramref name="text"/>.</summary>
    public static ulong Of(string text)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in text)
        {
            h ^= c;
            h *= 1099511628211UL;
        }

        return h;
    }

    /// <summary>
    /// Mixes two values: Mix(Mix(a) ^ b). Mixing <paramref name="a"/> first keeps nearby pairs such as
    /// (seed 0, trial 86) and (seed 1, trial 21) from colliding.
    /// </summary>
    public static ulong Combine(ulong a, ulong b) => Mix(Mix(a) ^ b);

    /// <summary>SplitMix64's finaliser: a bijection with good avalanche.</summary>
    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
