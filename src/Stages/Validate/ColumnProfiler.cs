using Pipelines.Core.Tables;

namespace Pipelines.Stages.Validate;

/// <summary>
/// Builds a <see cref="ColumnProfile"/> per column while validate streams the table. Memory is bounded: each
/// column counts at most <see cref="ValidateConstants.MaxDistinctTracked"/> distinct values; past that the
/// distinct count is a lower bound and the most common values are among those first seen.
/// </summary>
internal sealed class ColumnProfiler
{
    private readonly TableSchema _schema;
    private readonly long[] _nulls;
    private readonly Dictionary<object, long>[] _counts;
    private readonly bool[] _capped;
    private readonly IComparable?[] _min;
    private readonly IComparable?[] _max;

    public ColumnProfiler(TableSchema schema)
    {
        _schema = schema;
        int n = schema.Columns.Count;
        _nulls = new long[n];
        _counts = Enumerable.Range(0, n).Select(_ => new Dictionary<object, long>()).ToArray();
        _capped = new bool[n];
        _min = new IComparable?[n];
        _max = new IComparable?[n];
    }

    public void Add(TableBatch batch)
    {
        for (int c = 0; c < _counts.Length; c++)
        {
            var values = batch.Column(c);
            var counts = _counts[c];
            for (int r = 0; r < batch.RowCount; r++)
            {
                object? value = values.GetValue(r);
                if (value is null)
                {
                    _nulls[c]++;
                    continue;
                }
                if (counts.TryGetValue(value, out long count)) counts[value] = count + 1;
                else if (counts.Count < ValidateConstants.MaxDistinctTracked) counts[value] = 1;
                else _capped[c] = true;
                if (value is long or double or DateTime)
                {
                    var comparable = (IComparable)value;
                    if (_min[c] is null || comparable.CompareTo(_min[c]) < 0) _min[c] = comparable;
                    if (_max[c] is null || comparable.CompareTo(_max[c]) > 0) _max[c] = comparable;
                }
            }
        }
    }

    public IReadOnlyList<ColumnProfile> Profiles() => _schema.Columns.Select((column, c) =>
    {
        bool text = column.Type is ColumnType.String or ColumnType.Boolean;
        var mostCommon = text
            ? _counts[c].OrderByDescending(p => p.Value).ThenBy(p => Show(p.Key), StringComparer.Ordinal)
                .Take(ValidateConstants.MostCommonShown).Select(p => (Show(p.Key), p.Value)).ToArray()
            : [];
        return new ColumnProfile(column.Name, ColumnSchema.TypeName(column.Type), _nulls[c], _counts[c].Count, _capped[c], _min[c], _max[c], mostCommon);
    }).ToArray();

    private static string Show(object value) => value is bool b ? (b ? "true" : "false") : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
}
