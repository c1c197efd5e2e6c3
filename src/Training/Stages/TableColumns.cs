using System.Globalization;
using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Training;

/// <summary>Reads named columns of an input table as text, with errors that name the input, column and row.</summary>
public static class TableColumns
{
    /// <summary>The column's values as strings (numbers in invariant culture; nulls stay null).</summary>
    /// <exception cref="UserInputException">The column does not exist.</exception>
    public static string?[] Text(TableBatch table, string column, string input, string option)
    {
        ArgumentNullException.ThrowIfNull(table);
        var index = table.Schema.IndexOf(column);
        if (index < 0)
        {
            throw new UserInputException($"Input '{input}' has no column '{column}' (option '{option}'). Columns: {string.Join(", ", table.Schema.Columns.Select(c => c.Name))}.");
        }

        var values = table.Column(index);
        var result = new string?[table.RowCount];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = values.GetValue(i) switch
            {
                null => null,
                string s => s,
                double d => d.ToString("R", CultureInfo.InvariantCulture),
                DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
                bool b => b ? "true" : "false",
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                var o => o.ToString(),
            };
        }

        return result;
    }

    /// <summary>Like <see cref="Text"/>, but a null or empty value is an error naming the row.</summary>
    public static string[] RequiredText(TableBatch table, string column, string input, string option)
    {
        var values = Text(table, column, input, option);
        for (var i = 0; i < values.Length; i++)
        {
            if (string.IsNullOrEmpty(values[i]))
            {
                throw new UserInputException($"Input '{input}', column '{column}', row {i + 1}: the value is empty; every row needs text.");
            }
        }

        return values!;
    }

    /// <summary>Reads the whole table, failing with a clear message when it has no rows.</summary>
    public static async Task<TableBatch> ReadNonEmptyAsync(StageContext context, string input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var reader = await context.OpenTableAsync(input, cancellationToken).ConfigureAwait(false);
        var table = await reader.ReadAllAsync(cancellationToken).ConfigureAwait(false);
        if (table.RowCount == 0)
        {
            throw new UserInputException($"Input '{input}' is empty: it has no rows.");
        }

        return table;
    }
}
