using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Training;

/// <summary>Builds tokenised examples from a table for a task, with errors naming the input, column and row.</summary>
public static class TaskData
{
    /// <summary>The distinct non-empty label values of <paramref name="column"/>, sorted ordinally (index = class id).</summary>
    /// <exception cref="UserInputException">Fewer than two distinct labels.</exception>
    public static IReadOnlyList<string> Labels(TableBatch table, string column, string input)
    {
        var values = TableColumns.Text(table, column, input, "label_column");
        var labels = values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (labels.Length < 2)
        {
            throw new UserInputException($"Input '{input}', column '{column}' has {labels.Length} distinct label(s); classification needs at least 2.");
        }

        return labels;
    }

    /// <summary>One example per row.</summary>
    /// <exception cref="UserInputException">A column is missing, a value is empty, or a label is not among <paramref name="labels"/>.</exception>
    public static List<TrainingExample> Build(TableBatch table, string input, TaskColumns columns, ExampleBuilder builder, IReadOnlyList<string>? labels)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(builder);
        var examples = new List<TrainingExample>(table.RowCount);
        if (columns.Task == TrainingTask.Classification)
        {
            ArgumentNullException.ThrowIfNull(labels);
            var text = TableColumns.RequiredText(table, columns.TextColumn, input, "text_column");
            var label = TableColumns.Text(table, columns.LabelColumn, input, "label_column");
            var index = labels.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i, StringComparer.Ordinal);
            for (var r = 0; r < table.RowCount; r++)
            {
                if (label[r] is not { } value || !index.TryGetValue(value, out var id))
                {
                    throw new UserInputException($"Input '{input}', column '{columns.LabelColumn}', row {r + 1}: label '{label[r]}' is not one of the training labels ({string.Join(", ", labels)}).");
                }

                examples.Add(builder.Classification(text[r], id));
            }

            return examples;
        }

        if (columns.PromptColumn is { } promptColumn && columns.ResponseColumn is { } responseColumn)
        {
            var prompts = TableColumns.RequiredText(table, promptColumn, input, "prompt_column");
            var responses = TableColumns.RequiredText(table, responseColumn, input, "response_column");
            for (var r = 0; r < table.RowCount; r++)
            {
                examples.Add(builder.PromptResponse(prompts[r], responses[r]));
            }

            return examples;
        }

        foreach (var text in TableColumns.RequiredText(table, columns.TextColumn, input, "text_column"))
        {
            examples.Add(builder.Text(text));
        }

        return examples;
    }
}
