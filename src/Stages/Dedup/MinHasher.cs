using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// MinHash signatures of 64-bit shingle hashes. Permutation i is Dietzfelbinger's multiply-add-shift
/// h_i(x) = ((a_i·x + b_i) mod 2^64) >> 32 on the 32-bit key x folded from the shingle hash, with
/// a_i, b_i drawn from a seeded SplitMix64. That family is strongly universal (the same guarantee as
/// datasketch's (a·x + b) mod (2^61 − 1)) but needs no 128-bit product or modulo, so it vectorises:
/// AVX-512 and AVX2 paths give bit-identical results to the scalar one.
/// </summary>
public sealed class MinHasher
{
    private readonly ulong[] _aLow;
    private readonly ulong[] _aHigh;
    private readonly ulong[] _b;

    /// <summary>Creates <paramref name="numPerm"/> seeded permutations.</summary>
    public MinHasher(int numPerm, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numPerm, 1);
        NumPerm = numPerm;
        Seed = seed;
        _aLow = new ulong[numPerm];
        _aHigh = new ulong[numPerm];
        _b = new ulong[numPerm];
        var random = new SplitMix64(unchecked((ulong)seed));
        for (int i = 0; i < numPerm; i++)
        {
            ulong a = random.Next() | 1UL;
            _aLow[i] = a & 0xFFFF_FFFFUL;
            _aHigh[i] = a >> 32;
            _b[i] = random.Next();
        }
    }

    /// <summary>Number of permutations (signature length).</summary>
    public int NumPerm { get; }

    /// <summary>The seed the permutations were drawn from.</summary>
    public long Seed { get; }

    /// <summary>Folds a 64-bit shingle hash to the 32-bit key the permutations act on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Fold(ulong hash) => (uint)(hash ^ (hash >> 32));

    /// <summary>
    /// Writes the signature of <paramref name="shingles"/> to <paramref name="signature"/> (length NumPerm).
    /// With no shingles every value is <see cref="uint.MaxValue"/>.
    /// </summary>
    public void Compute(ReadOnlySpan<ulong> shingles, Span<uint> signature) => Compute(shingles, signature, allowSimd: true);

    internal void Compute(ReadOnlySpan<ulong> shingles, Span<uint> signature, bool allowSimd)
    {
        if (signature.Length != NumPerm)
        {
            throw new ArgumentException($"The signature must have {NumPerm} values, but has {signature.Length}.", nameof(signature));
        }

        int done = 0;
        if (allowSimd && Avx512F.IsSupported)
        {
            done = ComputeAvx512(shingles, signature);
        }
        else if (allowSimd && Avx2.IsSupported)
        {
            done = ComputeAvx2(shingles, signature);
        }

        for (int p = done; p < NumPerm; p++)
        {
            ulong aLow = _aLow[p], aHigh = _aHigh[p], b = _b[p];
            uint min = uint.MaxValue;
            foreach (ulong shingle in shingles)
            {
                ulong x = Fold(shingle);
                uint h = (uint)(((aLow * x + b) >> 32) + aHigh * x);
                if (h < min)
                {
                    min = h;
                }
            }

            signature[p] = min;
        }
    }

    // Eight permutations per step, the running minimum kept in a register across all shingles.
    private int ComputeAvx512(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        int blocks = NumPerm / 8;
        var low32 = Vector512.Create(0xFFFF_FFFFUL);
        for (int block = 0; block < blocks; block++)
        {
            int p = block * 8;
            var aLow = Vector512.Create<ulong>(_aLow.AsSpan(p, 8)).AsUInt32();
            var aHigh = Vector512.Create<ulong>(_aHigh.AsSpan(p, 8)).AsUInt32();
            var b = Vector512.Create<ulong>(_b.AsSpan(p, 8));
            var min = low32;
            foreach (ulong shingle in shingles)
            {
                var x = Vector512.Create((ulong)Fold(shingle)).AsUInt32();
                var t = Avx512F.Multiply(aLow, x) + b;
                var h = ((t >> 32) + Avx512F.Multiply(aHigh, x)) & low32;
                min = Avx512F.Min(min, h);
            }

            for (int k = 0; k < 8; k++)
            {
                signature[p + k] = (uint)min.GetElement(k);
            }
        }

        return blocks * 8;
    }

    private int ComputeAvx2(ReadOnlySpan<ulong> shingles, Span<uint> signature)
    {
        int blocks = NumPerm / 4;
        var low32 = Vector256.Create(0xFFFF_FFFFUL);
        for (int block = 0; block < blocks; block++)
        {
            int p = block * 4;
            var aLow = Vector256.Create<ulong>(_aLow.AsSpan(p, 4)).AsUInt32();
            var aHigh = Vector256.Create<ulong>(_aHigh.AsSpan(p, 4)).AsUInt32();
            var b = Vector256.Create<ulong>(_b.AsSpan(p, 4));
            var min = low32;
            foreach (ulong shingle in shingles)
            {
                var x = Vector256.Create((ulong)Fold(shingle)).AsUInt32();
                var t = Avx2.Multiply(aLow, x) + b;
                var h = ((t >> 32) + Avx2.Multiply(aHigh, x)) & low32;

                // Values fit in 32 bits, so a signed 64-bit compare orders them correctly.
                var greater = Avx2.CompareGreaterThan(min.AsInt64(), h.AsInt64()).AsUInt64();
                min = Vector256.ConditionalSelect(greater, h, min);
            }

            for (int k = 0; k < 4; k++)
            {
                signature[p + k] = (uint)min.GetElement(k);
            }
        }

        return blocks * 4;
    }
}
