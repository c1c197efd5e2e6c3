using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Stages.Template;
using Pipelines.Stages.Tests.Support;

namespace Pipelines.Stages.Tests.Template;

public class TemplateStageTests
{
    private static async Task<(StageHarness, string)> TableAsync()
    {
        var h = new StageHarness();
        var schema = new TableSchema([new ColumnSchema("age", ColumnType.Int64), new ColumnSchema("job", ColumnType.String), new ColumnSchema("score", ColumnType.Double)]);
        string path = h.PathOf("t.parquet");
        await ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, 2, [new long?[] { 39, 50 }, new[] { "clerk", null }, new double?[] { 0.5, 1.25 }]));
        return (h, path);
    }

    [Test]
    public async Task Each_row_is_rendered_with_its_values_and_literal_braces()
    {
        var (h, path) = await TableAsync();
        using (h)
        {
            var (outputs, _) = await h.RunAsync(new TemplateStage(), "{\"template\": \"{{x}} age {age}, job {job}, score {score}\"}", new Dictionary<string, string> { ["table"] = path });
            var table = await ParquetTableReader.ReadFileAsync(outputs["table"]);
            Assert.That(table.StringColumn("text"), Is.EqualTo(new[] { "{x} age 39, job clerk, score 0.5", "{x} age 50, job unknown, score 1.25" }));
            Assert.That(table.Schema.Columns.Select(c => c.Name), Is.EqualTo(new[] { "age", "job", "score", "text" }));
        }
    }

    [Test]
    public async Task A_placeholder_for_a_missing_column_names_the_columns_that_exist()
    {
        var (h, path) = await TableAsync();
        using (h)
        {
            var ex = Assert.ThrowsAsync<UserInputException>(() => h.RunAsync(new TemplateStage(), "{\"template\": \"{agee}\"}", new Dictionary<string, string> { ["table"] = path }));
            Assert.That(ex!.Message, Is.EqualTo("stage 'template': the template names column(s) 'agee' that the table lacks. Columns: age, job, score."));
        }
    }

    [Test]
    public void An_unclosed_brace_is_rejected_when_the_options_are_checked()
    {
        using var h = new StageHarness();
        var ex = Assert.ThrowsAsync<UserInputException>(() => h.RunAsync(new TemplateStage(), "{\"template\": \"age {age\"}", new Dictionary<string, string> { ["table"] = "x" }));
        Assert.That(ex!.Message, Is.EqualTo("'template': the template has an unclosed '{' at position 5."));
    }
}
