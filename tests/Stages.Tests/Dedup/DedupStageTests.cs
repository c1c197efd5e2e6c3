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

    // Hand-built tables of one String column "text".
    private async Task<string> WriteTextsAsync(string name, params string[] texts)
    {
        var schema = new TableSchema([new ColumnSchema("text", ColumnType.String)]);
        return await TestTables.WriteAsync(new TableBatch(schema, texts.Length, [texts.Select(t => (string?)t).ToArray()]), _runner.Directory, name);
    }

    // Word n-grams as strings and their Jaccard: an independent check of the fractions worked out in the comments.
    private static HashSet<string> Ngrams(string text, int n)
    {
        var words = text.ToLowerInvariant().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Enumerable.Range(0, words.Length - n + 1).Select(i => string.Join(' ', words.Skip(i).Take(n))).ToHashSet();
    }

    private static double Jaccard(string a, string b, int n)
    {
        var x = Ngrams(a, n);
        var y = Ngrams(b, n);
        return (double)x.Intersect(y).Count() / x.Union(y).Count();
    }

    private static async Task<(JsonNode Json, string Html)> ReadReportAsync(StageRun context)
    {
        string directory = context.OutputPath("report");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "report.json")))!;
        return (json, await File.ReadAllTextAsync(Path.Combine(directory, "report.html")));
    }

    private static (long Removed, long Kept, double? Jaccard, bool Linked) Pair(JsonNode? p) =>
        ((long)p!["removed_row"]!, (long)p["kept_row"]!, (double?)p["exact_jaccard"], (bool)p["linked_via_cluster"]!);

    [Test]
    public async Task In_a_chain_each_removed_row_is_reported_beside_the_kept_row_with_that_pairs_jaccard_and_how_it_is_linked()
    {
        // Bigram sets (10 each):
        //   A = {ab bc cd de ef fg gh hi ij jk}
        //   B = {ab bc cd de ef fg gh hi ij jx}     J(A,B) = 9/11 ≈ 0.818 ≥ 0.8
        //   C = {zb bc cd de ef fg gh hi ij jx}     J(B,C) = 9/11 ≈ 0.818 ≥ 0.8
        //                                           J(A,C) = 8/12 ≈ 0.667 < 0.8: C reaches A only through B.
        // Row 3 is A in capitals (an exact copy, Jaccard 1); row 4 is unrelated.
        const string a = "a b c d e f g h i j k", b = "a b c d e f g h i j x", c = "z b c d e f g h i j x";
        Assert.That((Jaccard(a, b, 2), Jaccard(b, c, 2), Jaccard(a, c, 2)), Is.EqualTo((9.0 / 11, 9.0 / 11, 8.0 / 12)), "hand calculation");
        string input = await WriteTextsAsync("chain", a, b, c, "A B C D E F G H I J K", "nothing alike in this one row at all");
        var options = new DedupOptions { Columns = ["text"], Threshold = 0.8, NgramSize = 2, Bands = 64, Rows = 2, Seed = 1 };
        var context = await _runner.RunAsync(new DedupStage(), options, new Dictionary<string, string> { ["table"] = input });

        var duplicates = await ParquetTableReader.ReadFileAsync(context.OutputPath("duplicates"));
        Assert.That(duplicates.Column<long>("removed_row"), Is.EqualTo(new long?[] { 1, 2, 3 }));
        Assert.That(duplicates.Column<long>("kept_row"), Is.EqualTo(new long?[] { 0, 0, 0 }));
        Assert.That(duplicates.Column<double>("exact_jaccard").Select(j => j!.Value), Is.EqualTo(new[] { 9.0 / 11, 8.0 / 12, 1.0 }).Within(1e-12));
        Assert.That(duplicates.Column<bool>("linked_via_cluster"), Is.EqualTo(new bool?[] { false, true, false }));
        Assert.That(duplicates.StringColumn("kind"), Is.EqualTo(new[] { "near", "near", "exact" }));

        var (report, html) = await ReadReportAsync(context);
        var near = report["duplicate_pairs"]!["near"]!;
        Assert.That((int)near["removed"]!, Is.EqualTo(2));
        Assert.That(near["shown"]!.AsArray().Select(Pair), Is.EqualTo(new[] { (1L, 0L, (double?)(9.0 / 11), false), (2L, 0L, (double?)(8.0 / 12), true) }));
        Assert.That((string?)near["shown"]![1]!["removed_text"], Is.EqualTo(c));
        Assert.That((string?)near["shown"]![1]!["kept_text"], Is.EqualTo(a));
        var exact = report["duplicate_pairs"]!["exact"]!["shown"]!.AsArray();
        Assert.That(exact.Select(Pair), Is.EqualTo(new[] { (3L, 0L, (double?)1.0, false) }));
        Assert.That((string?)exact[0]!["removed_text"], Is.EqualTo("A B C D E F G H I J K"));
        Assert.That((int)report["clusters"]!, Is.EqualTo(1));
        Assert.That(html, Does.Contain("Near copies within the table: 2 removed, 2 shown").And.Contain("through cluster").And.Contain("0.6667").And.Contain("0.8182"));
    }

    [Test]
    public async Task A_contamination_run_reports_each_removed_row_beside_the_across_row_it_copies_and_counts_the_groups()
    {
        // Unigrams: "what is the capital of france" (6) vs the same with "city" (7): J = 6/6+1 = 6/7 ≈ 0.857.
        const string capital = "what is the capital of france", spider = "how many legs does a spider have";
        const string script = "<script>alert(1)</script> is not a question";
        string test = await WriteTextsAsync("test", capital, spider, script);
        string train = await WriteTextsAsync("train", "name a primary colour", "How many legs does a SPIDER have",
            "what is the capital city of france", script, "an unrelated sentence about boats");
        Assert.That(Jaccard("what is the capital city of france", capital, 1), Is.EqualTo(6.0 / 7), "hand calculation");
        var options = new DedupOptions { Columns = ["text"], Threshold = 0.8, NgramSize = 1, Bands = 64, Rows = 2, Seed = 1 };
        var context = await _runner.RunAsync(new DedupStage(), options, new Dictionary<string, string> { ["table"] = train, ["across"] = test });

        var (report, html) = await ReadReportAsync(context);
        Assert.That((int)report["across_removed"]!, Is.EqualTo(3));
        Assert.That(((int)report["clusters"]!, (int)report["table_clusters"]!, (int)report["across_clusters"]!), Is.EqualTo((3, 0, 3)));
        var across = report["duplicate_pairs"]!["across"]!;
        Assert.That((int)across["removed"]!, Is.EqualTo(3));
        var shown = across["shown"]!.AsArray();
        Assert.That(shown.Select(Pair), Is.EqualTo(new[] { (1L, 1L, (double?)1.0, false), (2L, 0L, (double?)(6.0 / 7), false), (3L, 2L, (double?)1.0, false) }));
        Assert.That(shown.Select(p => ((string?)p!["removed_text"], (string?)p["kept_text"], (string?)p["kind"], (string?)p["matched"])), Is.EqualTo(new[]
        {
            ("How many legs does a SPIDER have", spider, "exact", "across"),
            ("what is the capital city of france", capital, "near", "across"),
            (script, script, "exact", "across"),
        }));
        Assert.That((int)report["duplicate_pairs"]!["exact"]!["removed"]! + (int)report["duplicate_pairs"]!["near"]!["removed"]!, Is.Zero);

        Assert.That(html, Does.Contain("Matches of the across table (contamination): 3 removed, 3 shown"));
        Assert.That(html, Does.Contain("How many legs does a SPIDER have").And.Contain("what is the capital city of france").And.Contain("0.8571"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt; is not a question"));
        Assert.That(html, Does.Not.Contain("<script>alert(1)"));
        Assert.That(html, Does.Contain("<div class=\"value\">3</div><div class=\"label\">clusters</div>"));
    }
}
