using System.Collections.Concurrent;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Ingest;

/// <summary>
/// Reuses the value-type column arrays of written row groups (a 65,536-row <c>long?[]</c> is 1 MiB on the large
/// object heap, and fresh ones cost page faults and gen-2 collections). Text columns are never pooled: an old
/// string array written with new strings makes every store a cross-generation write, which costs more than it saves.
/// </summary>
internal sealed class ColumnArrayPool
{
    private readonly int _length;
    private readonly ConcurrentDictionary<ColumnType, ConcurrentBag<Array>> _free = new();

    public ColumnArrayPool(int length) => _length = length;

    /// <summary>An all-null array of the row-group length for <paramref name="column"/>.</summary>
    public Array Rent(ColumnSchema column) =>
        column.Type != ColumnType.String && _free.TryGetValue(column.Type, out var bag) && bag.TryTake(out var array)
            ? array
            : column.CreateArray(_length);

    /// <summary>Takes back the batch's pooled arrays once it is written; the batch must not be read afterwards.</summary>
    public void Return(TableBatch batch)
    {
        for (int c = 0; c < batch.Schema.Columns.Count; c++)
        {
            var type = batch.Schema.Columns[c].Type;
            var array = batch.Column(c);
            if (type == ColumnType.String || array.Length != _length) continue;
            Array.Clear(array);
            _free.GetOrAdd(type, _ => []).Add(array);
        }
    }
}
