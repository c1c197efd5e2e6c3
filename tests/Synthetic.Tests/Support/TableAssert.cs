namespace Pipelines.Synthetic.Tests;

/// <summary>Comparisons of whole tables.</summary>
public static class TableAssert
{
    /// <summary>Same column names, storage and values, cell by cell (doubles bit for bit).</summary>
    public static void Identical(ColumnTable actual, ColumnTable expected)
    {
        Assert.That(actual.RowCount, Is.EqualTo(expected.RowCount));
        Assert.That(actual.Columns.Select(c => c.Name), Is.EqualTo(expected.Columns.Select(c => c.Name)));
        for (int c = 0; c < expected.Columns.Count; c++)
        {
            Assert.That(actual.Columns[c].Storage, Is.EqualTo(expected.Columns[c].Storage));
            if (actual.Columns[c].Values is double?[] a && expected.Columns[c].Values is double?[] e)
            {
                Assert.That(a.Select(Bits), Is.EqualTo(e.Select(Bits)), $"column {expected.Columns[c].Name}");
            }
            else
            {
                Assert.That(actual.Columns[c].Values, Is.EqualTo(expected.Columns[c].Values), $"column {expected.Columns[c].Name}");
            }
        }
    }

    private static long? Bits(double? v) => v is { } x ? BitConverter.DoubleToInt64Bits(x) : null;
}
