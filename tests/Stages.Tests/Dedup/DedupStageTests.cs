using System.Text.Json.Nodes;
using Pipelines.Core.Tables;
using Pipelines.Stages.Dedup;
using Pipelines.Stages.Tests.TestData;

namespace Pipelines.Stages.Tests.Dedup;

public class DedupStageTests
{
    private StageRunner _runner = null!;

    [SetUp]
    public void SetUp() => _runner = new StageRunner();

    [TearDown]
    public void TearDown() => _runner.Dispose();

    // 300 GSM8K questions, then 5 exact copies (different case/spacing) and 5 near copies (middle word changed).
    private async Task<string> WriteQuestionsAsync(int rowGroupSize = 97)
    {
        var (questions, answers) = TestTables.Gsm8k("gsm8k_train_300.jsonl");
        var texts = questions.ToList();
        var ids = Enumerable.Range(0, 300).Select(i => (long?)i).ToList();
        for (int i = 0; i < 5; i++)
        {
            texts.Add("  " + questions[i].ToUpperInvariant().Replace(" ", "   ", StringComparison.Ordinal));
            ids.Add(1000 + i);
        }

        for (int i = 10; i < 15; i++)
        {
            var words = questions[i].Split(' ');
            words[words.Length / 2] = "zzzz";
            texts.Add(string.Join(' ', words));
            ids.Add(2000 + i);
        }

        var schema = new TableSchema([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("question", ColumnType.String)]);
        var table = new TableBatch(schema, texts.Count, [ids.ToArray(), texts.Select(t => (string?)t).ToArray()]);
        return await TestTables.WriteAsync(table, _runner.Directory, "questions", rowGroupSize);
    }

    private static DedupOptions Options(int threads = -1) => new()
    {
        Columns = ["question"], Threshold = 0.7, NgramSize = 3, Bands = 32, Rows = 4, MaxDegreeOfParallelism = threads,
    };

    [Test]
    public async Task The_stage_removes_planted_copies_and_writes_table_duplicates_and_report()
    {
        string input = await WriteQuestionsAsync();
        var context = await _runner.RunAsync(new DedupStage(), Options(), new Dictionary<string, string> { ["table"] = input });

        var kept = await ParquetTableReader.ReadFileAsync(context.OutputPath("table"));
        Assert.That(kept.RowCount, Is.EqualTo(300));
        Assert.That(kept.Column<long>("id").Max(), Is.EqualTo(299));

        var duplicates = await ParquetTableReader.ReadFileAsync(context.OutputPath("duplicates"));
        Assert.That(duplicates.StringColumn("kind"), Is.EqualTo(Enumerable.Repeat("exact", 5).Concat(Enumerable.Repeat("near", 5))));
        Assert.That(duplicates.Column<long>("removed_row"), Is.EqualTo(Enumerable.Range(300, 10).Select(i => (long?)i)));
        Assert.That(duplicates.Column<long>("kept_row"), Is.EqualTo(new long?[] { 0, 1, 2, 3, 4, 10, 11, 12, 13, 14 }));
        Assert.That(duplicates.Column<double>("exact_jaccard").Skip(5), Is.All.GreaterThanOrEqualTo(0.7));

        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(context.OutputPath("report"), "report.json")))!;
        Assert.That((int)report["exact_removed"]!, Is.EqualTo(5));
        Assert.That((int)report["near_removed"]!, Is.EqualTo(5));
        Assert.That((int)report["cluster_size_histogram"]!["2"]!, Is.EqualTo(10));
        Assert.That(report["largest_clusters"]!.AsArray().Count, Is.EqualTo(10));
        string html = await File.ReadAllTextAsync(Path.Combine(context.OutputPath("report"), "report.html"));
        Assert.That(html, Does.Contain("Largest clusters").And.Contain("Plotly.newPlot"));
        Assert.That(context.Summary["duplicates_removed"], Is.EqualTo(10L));
    }

    [Test]
    public async Task Outputs_are_byte_identical_at_one_and_two_threads()
    {
        string input = await WriteQuestionsAsync();
        var one = await _runner.RunAsync(new DedupStage(), Options(1), new Dictionary<string, string> { ["table"] = input }, "one");
        var two = await _runner.RunAsync(new DedupStage(), Options(2), new Dictionary<string, string> { ["table"] = input }, "two");
        foreach (string output in new[] { "table", "duplicates" })
        {
            Assert.That(await File.ReadAllBytesAsync(two.OutputPath(output)), Is.EqualTo(await File.ReadAllBytesAsync(one.OutputPath(output))), output);
        }

        Assert.That(await File.ReadAllTextAsync(Path.Combine(two.OutputPath("report"), "report.json")),
            Is.EqualTo(await File.ReadAllTextAsync(Path.Combine(one.OutputPath("report"), "report.json"))));
    }

    [Test]
    public async Task A_missing_column_is_named_with_the_columns_that_exist()
    {
        string input = await WriteQuestionsAsync();
        var options = Options();
        options.Columns = ["text"];
        var error = Assert.ThrowsAsync<InvalidDataException>(() => _runner.RunAsync(new DedupStage(), options, new Dictionary<string, string> { ["table"] = input }));
        Assert.That(error!.Message, Is.EqualTo("Column 'text' (in 'columns') does not exist in input 'table'. The table has: id, question."));
    }

    [Test]
    public async Task A_numeric_column_in_near_mode_is_rejected_but_allowed_in_exact_mode()
    {
        string input = await WriteQuestionsAsync();
        var options = Options();
        options.Columns = ["id"];
        var error = Assert.ThrowsAsync<InvalidDataException>(() => _runner.RunAsync(new DedupStage(), options, new Dictionary<string, string> { ["table"] = input }));
        Assert.That(error!.Message, Is.EqualTo("Column 'id' of input 'table' is int64, but near-duplicate detection compares text: use String columns or 'mode: exact'."));

        options.Mode = DedupMode.Exact;
        var context = await _runner.RunAsync(new DedupStage(), options, new Dictionary<string, string> { ["table"] = input }, "exact");
        Assert.That(context.Summary["duplicates_removed"], Is.EqualTo(0L));
    }

    [Test]
    public async Task An_empty_table_is_a_clear_error()
    {
        var schema = new TableSchema([new ColumnSchema("question", ColumnType.String)]);
        string input = await TestTables.WriteAsync(TableBatch.Empty(schema), _runner.Directory, "empty");
        var error = Assert.ThrowsAsync<InvalidDataException>(() => _runner.RunAsync(new DedupStage(), Options(), new Dictionary<string, string> { ["table"] = input }));
        Assert.That(error!.Message, Is.EqualTo("Input 'table' has no rows; dedup needs at least one row."));
    }

    [Test]
    public void Invalid_options_are_reported_together_with_field_and_value()
    {
        var errors = new DedupStage().Validate(new DedupOptions { Columns = [], Threshold = 1.5, Keep = KeepRule.Newest }).ToArray();
        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "'columns' must list at least one column.",
            "'threshold' must be between 0 and 1. You entered 1.5.",
            "'newest_by' must name a column when 'keep' is newest.",
        }));
    }

    [Test]
    public async Task The_across_input_removes_test_questions_from_train()
    {
        var (train, _) = TestTables.Gsm8k("gsm8k_train_300.jsonl");
        var (test, _) = TestTables.Gsm8k("gsm8k_test_100.jsonl");
        var schema = new TableSchema([new ColumnSchema("question", ColumnType.String)]);
        var trainRows = train.Take(100).Append(test[3]).Append(test[50]).Select(t => (string?)t).ToArray();
        string trainPath = await TestTables.WriteAsync(new TableBatch(schema, trainRows.Length, [trainRows]), _runner.Directory, "train");
        string testPath = await TestTables.WriteAsync(new TableBatch(schema, test.Length, [test.Select(t => (string?)t).ToArray()]), _runner.Directory, "test");
        var context = await _runner.RunAsync(new DedupStage(), Options(), new Dictionary<string, string> { ["table"] = trainPath, ["across"] = testPath });
        var duplicates = await ParquetTableReader.ReadFileAsync(context.OutputPath("duplicates"));
        Assert.That(duplicates.StringColumn("matched"), Is.EqualTo(new[] { "across", "across" }));
        Assert.That(duplicates.Column<long>("kept_row"), Is.EqualTo(new long?[] { 3, 50 }));
        Assert.That(duplicates.Column<long>("cluster_id"), Is.EqualTo(new long?[] { null, null }));
        Assert.That(context.Summary["rows_out"], Is.EqualTo(100L));
    }
}
