using System.Globalization;

namespace Pipelines.Synthetic;

/// <summary>Argument checks shared by the synthesizers; messages are meant for users.</summary>
internal static class TableChecks
{
    public static void CheckTrainable(ColumnTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Columns.Count == 0)
        {
            throw new ArgumentException("The table has no columns: a synthesizer needs at least one column.", nameof(table));
        }

        if (table.RowCount == 0)
        {
            throw new ArgumentException("The table is empty: a synthesizer needs at least one row to learn from.", nameof(table));
        }

        foreach (var column in table.Columns)
        {
            if (column.NullCount() == column.Length)
            {
                throw new ArgumentException(
                    $"Column '{column.Name}' has only null values, so there is nothing to learn; drop it or fill it first.", nameof(table));
            }
        }
    }

    public static void CheckRows(int rows)
    {
        if (rows <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows,
                $"'rows' must be at least 1. You entered {rows.ToString(CultureInfo.InvariantCulture)}.");
        }
    }

    public static void CheckFitted(bool fitted, string method)
    {
        if (!fitted)
        {
            throw new InvalidOperationException($"The {method} synthesizer is not fitted: call Fit or load a saved model first.");
        }
    }
}
