namespace Pipelines.Stages.Dedup;

/// <summary>Signatures (and shingle sets when verifying) of the documents that appear in candidate pairs.</summary>
internal sealed class SignatureCache
{
    private readonly int[] _slotOf;
    private readonly uint[] _signatures;
    private readonly ulong[][]? _sets;
    private readonly int _numPerm;

    public SignatureCache(int[] slotOf, uint[] signatures, ulong[][]? sets, int numPerm)
    {
        _slotOf = slotOf;
        _signatures = signatures;
        _sets = sets;
        _numPerm = numPerm;
    }

    public static SignatureCache Empty(int count, int numPerm) => new(Enumerable.Repeat(-1, count).ToArray(), [], null, numPerm);

    public (double Estimated, double? Exact)? Similarity(int first, int second)
    {
        if ((uint)first >= (uint)_slotOf.Length || (uint)second >= (uint)_slotOf.Length)
        {
            return null;
        }

        int a = _slotOf[first], b = _slotOf[second];
        if (a < 0 || b < 0)
        {
            return null;
        }

        double estimated = JaccardSimilarity.Estimate(
            _signatures.AsSpan(a * _numPerm, _numPerm), _signatures.AsSpan(b * _numPerm, _numPerm));
        double? exact = _sets is null ? null : JaccardSimilarity.Exact(_sets[a], _sets[b]);
        return (estimated, exact);
    }
}
