namespace Pipelines.Stages.Dedup;

/// <summary>
/// Streaming exact-duplicate grouping: row hashes are added in row order and each row gets the id of
/// its group (the first row with that hash opens the group). Memory: one entry per distinct hash plus
/// four bytes per row.
/// </summary>
public sealed class ExactDuplicateIndex
{
    private readonly Dictionary<UInt128, int> _groups = [];
    private readonly List<int> _firstRows = [];
    private readonly List<UInt128> _hashes = [];
    private readonly List<int> _groupOfRow = [];

    /// <summary>Rows added so far.</summary>
    public int RowCount => _groupOfRow.Count;

    /// <summary>Distinct hashes so far.</summary>
    public int GroupCount => _firstRows.Count;

    /// <summary>Adds the next row's hash and returns its group id.</summary>
    public int Add(UInt128 hash)
    {
        int row = _groupOfRow.Count;
        if (!_groups.TryGetValue(hash, out int group))
        {
            group = _firstRows.Count;
            _groups.Add(hash, group);
            _firstRows.Add(row);
            _hashes.Add(hash);
        }

        _groupOfRow.Add(group);
        return group;
    }

    /// <summary>The first row with <paramref name="hash"/>, or −1.</summary>
    public int FirstRowOf(UInt128 hash) => _groups.TryGetValue(hash, out int group) ? _firstRows[group] : -1;

    /// <summary>The group of <paramref name="row"/>.</summary>
    public int GroupOf(int row) => _groupOfRow[row];

    /// <summary>The hash shared by the rows of <paramref name="group"/>.</summary>
    public UInt128 HashOfGroup(int group) => _hashes[group];

    /// <summary>The first row of <paramref name="group"/>.</summary>
    public int FirstRowOfGroup(int group) => _firstRows[group];
}
