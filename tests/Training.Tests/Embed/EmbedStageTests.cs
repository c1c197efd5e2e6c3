using NUnit.Framework;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Training.Embed;

namespace Pipelines.Training.Tests.Embed;

public class EmbedStageTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Directory.CreateTempSubdirectory("embed-stage-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_root, recursive: true);

    [Test]
    public async Task The_stage_adds_a_float_list_column_equal_to_the_encoder_and_keeps_every_column_and_row()
    {
        string?[] texts = ["The cat sat on the mat", null, "A kitten is resting on a rug", "Rain is expected tomorrow."];
        var input = await StageHarness.WriteTableAsync(Path.Combine(_root, "in.parquet"), ("text", texts), ("label", ["a", "b", "c", "d"]));
        var outputs = await StageHarness.RunAsync(new EmbedStage(), new EmbedStageOptions { Column = "text", BatchSize = 2 }, Path.Combine(_root, "run"),
            new Dictionary<string, string> { ["table"] = input });

        var table = await ParquetTableReader.ReadFileAsync(outputs["table"]);
        Assert.That(table.Schema.Columns.Select(c => (c.Name, c.Type)), Is.EqualTo(new[] { ("text", ColumnType.String), ("label", ColumnType.String), ("embedding", ColumnType.FloatList) }));
        Assert.That(table.StringColumn("label"), Is.EqualTo(new[] { "a", "b", "c", "d" }));
        using var encoder = new SentenceEncoder("package:all-MiniLM-L6-v2");
        var expected = encoder.Encode(texts.Select(t => t ?? "").ToArray());
        Assert.That((float[]?[])table.Column(2), Is.EqualTo(expected).Within(1e-6f));

        // The same run again writes the same bytes.
        var again = await StageHarness.RunAsync(new EmbedStage(), new EmbedStageOptions { Column = "text", BatchSize = 2 }, Path.Combine(_root, "again"),
            new Dictionary<string, string> { ["table"] = input });
        Assert.That(File.ReadAllBytes(again["table"]), Is.EqualTo(File.ReadAllBytes(outputs["table"])));
    }

    [Test]
    public async Task A_missing_or_non_text_column_and_a_taken_output_name_are_user_errors_naming_the_field()
    {
        var input = await StageHarness.WriteTableAsync(Path.Combine(_root, "in.parquet"), ("text", ["x"]), ("embedding", ["y"]));
        var inputs = new Dictionary<string, string> { ["table"] = input };
        var missing = Assert.ThrowsAsync<UserInputException>(() => StageHarness.RunAsync(new EmbedStage(), new EmbedStageOptions { Column = "body" }, Path.Combine(_root, "a"), inputs));
        Assert.That(missing!.Message, Does.Contain("Column 'body' (in 'column') does not exist").And.Contain("text, embedding"));
        var taken = Assert.ThrowsAsync<UserInputException>(() => StageHarness.RunAsync(new EmbedStage(), new EmbedStageOptions { Column = "text" }, Path.Combine(_root, "b"), inputs));
        Assert.That(taken!.Message, Does.Contain("'output_column'"));
    }

    [Test]
    public void Bad_options_are_all_reported_with_the_field_and_the_value()
    {
        var errors = new EmbedStage().Validate(new EmbedStageOptions { Column = "", Model = "package:gpt-9", BatchSize = 0, MaxLength = 1000, Threads = 0 }).ToList();
        Assert.That(errors, Has.Count.EqualTo(5));
        Assert.That(errors, Has.Some.Contains("'model' must be one of package:all-MiniLM-L6-v2"));
        Assert.That(errors, Has.Some.Contains("'max_length' must be between 2 and 512. You entered 1000."));
        Assert.That(errors, Has.Some.Contains("'batch_size' must be between 1 and 1024. You entered 0."));
    }
}
