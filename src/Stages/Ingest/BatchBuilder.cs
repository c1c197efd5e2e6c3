using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>Accumulates typed rows column-wise up to a row-group size, then hands out a batch and starts over.</summary>
internal sealed class BatchBuilder
{
    private readonly TableSchema _schema;
    private readonly int _capacity;
    private Array[] _columns;

    public BatchBuilder(TableSchema schema, int capacity)
    {
        _schema = schema;
        _capacity = capacity;
        _columns = NewColumns();
    }

    public int Count { get; private set; }

    public bool IsFull => Count == _capacity;

    public Array Column(int index) => _columns[index];

    /// <summary>Commits the row whose values were written at index <see cref="Count"/>.</summary>
    public void CommitRow() => Count++;

    /// <summary>Clears the values written at <see cref="Count"/> (a bad row being skipped).</summary>
    public void DiscardRow()
    {
        foreach (var column in _columns) Array.Clear(column, Count, 1);
    }

    public TableBatch Take()
    {
        var arrays = new Array[_columns.Length];
        for (int c = 0; c < arrays.Length; c++)
        {
            if (Count == _capacity) arrays[c] = _columns[c];
            else
            {
                arrays[c] = _schema.Columns[c].CreateArray(Count);
                Array.Copy(_columns[c], arrays[c], Count);
            }
        }
        var batch = new TableBatch(_schema, Count, arrays);
        _columns = NewColumns();
        Count = 0;
        return batch;
    }

    private Array[] NewColumns() => _schema.Columns.Select(c => c.CreateArray(_capacity)).ToArray();
}
