using System.Runtime.Intrinsics;

namespace Pipelines.Stages.Dedup;

/// <summary>
/// Random-hyperplane LSH for cosine similarity (Charikar 2002): each bit is the sign of a projection on a Gaussian
/// direction, so two vectors at angle θ agree on a bit with probability 1 − θ/π, and on a table of k bits with
/// (1 − θ/π)^k. The hyperplanes come from SplitMix64(seed) through Box–Muller, the same on every platform.
/// </summary>
internal sealed class HyperplaneLsh
{
    private readonly float[][] _planes; // [tables * bits][dimensions]
    private readonly float[] _offsets; // plane · centre: a bit is the sign of plane · (v − centre)

    /// <summary>Hyperplanes through <paramref name="centre"/> (null: through the origin).</summary>
    public HyperplaneLsh(int dimensions, int bits, int tables, long seed, float[]? centre = null)
    {
        Bits = bits;
        Tables = tables;
        var random = new SplitMix64((ulong)seed ^ 0x5EED_C051_4E00_0000UL);
        _planes = new float[bits * tables][];
        for (int p = 0; p < _planes.Length; p++)
        {
            var plane = new float[dimensions];
            for (int d = 0; d < dimensions; d++)
            {
                // Box–Muller on two uniform doubles in (0, 1].
                double u1 = ((random.Next() >> 11) + 1) * (1.0 / (1UL << 53));
                double u2 = (random.Next() >> 11) * (1.0 / (1UL << 53));
                plane[d] = (float)(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
            }

            _planes[p] = plane;
        }

        _offsets = _planes.Select(p => centre is null ? 0f : Dot(p, centre)).ToArray();
    }

    public int Bits { get; }

    public int Tables { get; }

    /// <summary>Probability that two vectors at cosine <paramref name="cosine"/> share a bucket in at least one table.</summary>
    public static double CandidateProbability(double cosine, int bits, int tables)
    {
        double bit = 1 - (Math.Acos(Math.Clamp(cosine, -1, 1)) / Math.PI);
        return 1 - Math.Pow(1 - Math.Pow(bit, bits), tables);
    }

    /// <summary>The vector's code in every table: <c>codes[t]</c> holds its <see cref="Bits"/> sign bits.</summary>
    public void Codes(ReadOnlySpan<float> vector, Span<int> codes)
    {
        for (int t = 0; t < Tables; t++)
        {
            int code = 0;
            for (int b = 0; b < Bits; b++)
            {
                int p = (t * Bits) + b;
                if (Dot(vector, _planes[p]) >= _offsets[p])
                {
                    code |= 1 << b;
                }
            }

            codes[t] = code;
        }
    }

    /// <summary>
    /// Dot product in eight float lanes summed in a fixed order: the same inputs give the same bits on every machine
    /// (a width that followed the CPU, as <c>Vector&lt;T&gt;</c> does, would not).
    /// </summary>
    public static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector256<float>.Zero;
        int i = 0;
        for (; i <= a.Length - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            sum += Vector256.Create(a[i..]) * Vector256.Create(b[i..]);
        }

        float total = ((sum[0] + sum[1]) + (sum[2] + sum[3])) + ((sum[4] + sum[5]) + (sum[6] + sum[7]));
        for (; i < a.Length; i++)
        {
            total += a[i] * b[i];
        }

        return total;
    }
}
