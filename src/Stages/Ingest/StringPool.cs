namespace Pipelines.Stages.Ingest;

/// <summary>
/// Reuses one string instance per distinct value while a column has few distinct values (categorical text such
/// as "Private" or "Male"), so millions of cells do not each allocate; free-text columns stop pooling at the cap.
/// </summary>
internal sealed class StringPool
{
    private const int Capacity = 4096;
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public StringPool() => _lookup = _values.GetAlternateLookup<ReadOnlySpan<char>>();

    public string Get(ReadOnlySpan<char> cell)
    {
        if (_lookup.TryGetValue(cell, out var known)) return known;
        string value = cell.ToString();
        if (_values.Count < Capacity) _values[value] = value;
        return value;
    }
}
