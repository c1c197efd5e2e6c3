namespace Pipelines.Stages.Dedup;

/// <summary>Jaccard similarity of sorted distinct sets and MinHash estimates of it.</summary>
public static class JaccardSimilarity
{
    /// <summary>|A ∩ B| / |A ∪ B| of two sorted distinct arrays; two empty sets count as identical (1).</summary>
    public static double Exact(ReadOnlySpan<ulong> a, ReadOnlySpan<ulong> b)
    {
        if (a.IsEmpty && b.IsEmpty)
        {
            return 1.0;
        }

        int i = 0, j = 0, intersection = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j])
            {
                intersection++;
                i++;
                j++;
            }
            else if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return (double)intersection / (a.Length + b.Length - intersection);
    }

    /// <summary>Fraction of equal positions of two MinHash signatures of the same length.</summary>
    public static double Estimate(ReadOnlySpan<uint> a, ReadOnlySpan<uint> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Signatures must have the same length ({a.Length} vs {b.Length}).", nameof(b));
        }

        if (a.IsEmpty)
        {
            return 0.0;
        }

        int equal = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i])
            {
                equal++;
            }
        }

        return (double)equal / a.Length;
    }
}
