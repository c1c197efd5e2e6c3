using System.Runtime.CompilerServices;
namespace Pipelines.Stages.Ingest;

/// <summary>
/// Reuses one string instance per distinct value while a column has few distinct values (categorical text such
/// as "Private" or "Male"), so millions of cells do not each allocate. A free-text column fills the pool and then
/// mostly misses; once misses outnumber hits by the pool's size, lookups stop, since they only cost time.
/// </summary>
internal sealed class StringPool
{
    private const int Capacity = 4096;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private int _hitsWhenFull;
    private int _missesWhenFull;
    private bool _givenUp;

    public StringPool() => _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string Get(ReadOnlySpan<char> cell)
    {
        if (_givenUp) return cell.ToString();
        bool full = _values.Count == Capacity;
        if (_lookup.TryGetValue(cell, out var known))
        {
            if (full) _hitsWhenFull++;
            return known;
        }
        string value = cell.ToString();
        if (!full) _values[value] = value;
        else if (++_missesWhenFull - _hitsWhenFull > Capacity) _givenUp = true;
        return value;
    }
}
