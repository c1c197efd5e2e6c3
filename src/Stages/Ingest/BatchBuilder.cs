using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>Accumulates typed rows column-wise up to a row-group size, then hands out a batch and starts over.</summary>
internal sealed class BatchBuilder
{
    private readonly TableSchema _schema;
    private readonly int _capacity;
    private readonly ColumnArrayPool? _pool;
    private Array[]? _columns;

    public BatchBuilder(TableSchema schema, int capacity, ColumnArrayPool? pool = null)
    {
        _schema = schema;
        _capacity = capacity;
        _pool = pool;
    }

    public int Count { get; private set; }

    public bool IsFull => Count == _capacity;

    /// <summary>Column <paramref name="index"/> of the group being built (arrays are taken when first needed).</summary>
    public Array Column(int index) => (_columns ??= NewColumns())[index];

    /// <summary>Commits the row whose values were written at index <see cref="Count"/>.</summary>
    public void CommitRow() => Count++;

    /// <summary>Clears the values written at <see cref="Count"/> (a bad row being skipped).</summary>
    public void DiscardRow()
    {
        if (_columns is null) return;
        foreach (var column in _columns) Array.Clear(column, Count, 1);
    }

    public TableBatch Take()
    {
        var columns = _columns ??= NewColumns();
        var arrays = new Array[columns.Length];
        for (int c = 0; c < arrays.Length; c++)
        {
            if (Count == _capacity) arrays[c] = columns[c];
            else
            {
                arrays[c] = _schema.Columns[c].CreateArray(Count);
                Array.Copy(columns[c], arrays[c], Count);
            }
        }
        if (Count != _capacity) _pool?.Return(new TableBatch(_schema, _capacity, columns));
        var batch = new TableBatch(_schema, Count, arrays);
        _columns = null;
        Count = 0;
        return batch;
    }

    private Array[] NewColumns() => _schema.Columns.Select(c => _pool?.Rent(c) ?? c.CreateArray(_capacity)).ToArray();
}
