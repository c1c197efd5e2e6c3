namespace Pipelines.Synthetic.Text.Internal;

/// <summary>A small seeded generator (SplitMix64): same seed, same stream, on every platform and runtime.</summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(long seed) => _state = unchecked((ulong)seed);

    /// <summary>A generator for sub-stream <paramref name="index"/> of <paramref name="seed"/> (one per prompt row).</summary>
    public static SplitMix64 ForStream(long seed, long index)
    {
        var mixer = new SplitMix64(seed ^ unchecked((long)0x9E3779B97F4A7C15UL * (index + 1)));
        return new SplitMix64(unchecked((long)mixer.NextUInt64()));
    }

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="exclusiveMax"/>).</summary>
    public int NextInt(int exclusiveMax) => (int)(NextDouble() * exclusiveMax);
}
