using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Tables;
using Pipelines.Synthetic.Text;

namespace Pipelines.Synthetic.Tests.Text;

/// <summary>
/// The <c>text-lm</c> method through the <c>synthesize</c> stage. The table mixes Moby-Dick paragraphs
/// (<c>ham</c>) with upper-case adverts (<c>spam</c>): the spam texts and the prompt share no lower-case letter
/// but those of "spam: ", so a model trained on the spam rows only has a vocabulary that proves it.
/// </summary>
public class TextLmSynthesisMethodTests
{
    private const string Prompt = "spam: ";

    private const string Train = """{"embedding_size": 32, "layers": 1, "heads": 2, "context_length": 96, "sequence_length": 32, "batch_size": 8, "steps": 40, "learning_rate": 0.01}""";

    private const string Generate = """{"max_new_tokens": 40, "temperature": 0.8, "top_k": 20, "batch_size": 16}""";

    private static readonly string[] Adverts =
    [
        "WIN CASH NOW! CLICK HERE TO CLAIM YOUR FREE PRIZE.",
        "CHEAP MEDS ONLINE. NO PRESCRIPTION NEEDED. ORDER TODAY!",
        "YOU HAVE BEEN SELECTED FOR A $1000 GIFT CARD. ACT NOW!",
        "LOSE 20 POUNDS IN 10 DAYS WITH THIS ONE TRICK!",
        "MAKE MONEY FAST FROM HOME. LIMITED OFFER!",
        "FREE VIAGRA SAMPLES. REPLY TO CLAIM!",
    ];

    private StageHarness _harness = null!;
    private ColumnTable _table = null!;
    private string _input = null!;

    private Dictionary<string, string> Table => new() { ["table"] = _input };

    [OneTimeSetUp]
    public async Task WriteTable()
    {
        _harness = new StageHarness();
        var ham = TrainedModelFixture.Paragraphs(TestDataFiles.MobyDick().Training).Where(p => !p.StartsWith("CHAPTER", StringComparison.Ordinal)).Take(60).ToArray();
        var spam = Enumerable.Range(0, 24).Select(i => Adverts[i % Adverts.Length]).ToArray();

        // Spam rows are interleaved with the ham rows, one in every three or four.
        var texts = new List<string>();
        var labels = new List<string>();
        for (int h = 0, s = 0; h < ham.Length || s < spam.Length;)
        {
            if (s < spam.Length && (h % 3 == 2 || h >= ham.Length))
            {
                texts.Add(spam[s++]);
                labels.Add("spam");
            }

            if (h < ham.Length)
            {
                texts.Add(ham[h++]);
                labels.Add("ham");
            }
        }

        _table = new ColumnTable(
        [
            TableColumn.FromInt64("id", texts.Select((_, i) => (long?)(1000 + i)).ToArray()),
            TableColumn.FromStrings("text", [.. texts]),
            TableColumn.FromStrings("label", [.. labels]),
        ]);
        _input = await _harness.WriteInputAsync("emails", _table);
    }

    [OneTimeTearDown]
    public void Cleanup() => _harness.Dispose();

    private static string With(string extra = "", string textLm = "") =>
        $$$"""{"method": "text-lm", {{{extra}}} "text_lm": {"text_column": "text", "template": "{label}: ", {{{textLm}}} "train": {{{Train}}}, "generate": {{{Generate}}}}}""";

    private static string SpamOnly(int rows = 24, string extra = "") =>
        With($$"""{{extra}} "rows": {{rows}}, "conditions": {"label": "spam"},""", """ "copy_columns": ["label"], """);

    private int SpamRows => _table["label"].Values.Cast<string?>().Count(l => l == "spam");

    [Test]
    public async Task Conditioned_rows_are_learned_from_the_rare_label_only_and_keep_that_label()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), SpamOnly(extra: """ "mix": true, """), Table, runName: "spam");
        var synthetic = await ParquetTableReader.ReadFileAsync(outputs["synthetic"]);

        Assert.That(synthetic.RowCount, Is.EqualTo(24));
        Assert.That(synthetic.StringColumn("label"), Is.All.EqualTo("spam"));
        Assert.That(synthetic.StringColumn("_source"), Is.All.EqualTo("synthetic"));
        Assert.That(synthetic.Column<long>("id"), Is.All.Null, "id is not in copy_columns");

        // The vocabulary is exactly the characters of the spam texts and their prompt: no ham row was learned.
        var allowed = new SortedSet<char>(Adverts.SelectMany(a => a).Concat(Prompt));
        var vocabulary = CharTokenizer.Load(Path.Combine(outputs["model"], CharTokenizer.FileName)).Characters;
        Assert.That(vocabulary, Is.EqualTo(allowed.ToArray()));
        var texts = synthetic.StringColumn("text");
        Assert.That(texts.All(t => t!.All(allowed.Contains)), Is.True);
        Assert.That(texts.Count(t => t!.Length > 0), Is.GreaterThan(12), "most rows get text");

        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outputs["model"], TextLmSynthesisMethod.ManifestFileName)))!;
        Assert.That((int)manifest["training_texts"]!, Is.EqualTo(SpamRows));
        Assert.That((string?)manifest["source"], Is.EqualTo("trained"));

        var mixed = await ParquetTableReader.ReadFileAsync(outputs["mixed"]);
        Assert.That(mixed.RowCount, Is.EqualTo(_table.RowCount + 24));
        Assert.That(mixed.StringColumn("label").Count(l => l == "spam"), Is.EqualTo(SpamRows + 24));
    }

    [Test]
    public async Task The_report_shows_the_first_generated_texts_beside_the_first_real_texts_of_the_same_label()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), SpamOnly(12), Table, runName: "samples");
        var generated = (await ParquetTableReader.ReadFileAsync(outputs["synthetic"])).StringColumn("text").Take(10).ToArray();
        // The real side, from the input as written above: the first ten spam rows in table order.
        var realSpam = Enumerable.Range(0, _table.RowCount).Where(i => (string?)_table["label"].GetValue(i) == "spam")
            .Select(i => (string)_table["text"].GetValue(i)!).Take(10).ToArray();

        var samples = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outputs["report"], "report.json")))!["text_samples"]!;
        Assert.That((string?)samples["column"], Is.EqualTo("text"));
        Assert.That(samples["real"]!.AsArray().Select(t => (string?)t), Is.EqualTo(realSpam));
        Assert.That(samples["synthetic"]!.AsArray().Select(t => (string?)t), Is.EqualTo(generated));
        string html = await File.ReadAllTextAsync(Path.Combine(outputs["report"], "report.html"));
        Assert.That(html, Does.Contain("Generated texts beside real ones (text)"));
        Assert.That(html, Does.Contain(System.Net.WebUtility.HtmlEncode(realSpam[0])));
    }

    [Test]
    public async Task The_same_seed_writes_byte_identical_texts_and_model_and_another_seed_does_not()
    {
        var a = await _harness.RunAsync(new SynthesizeStage(), SpamOnly(16), Table, seed: 5, runName: "same-a");
        var b = await _harness.RunAsync(new SynthesizeStage(), SpamOnly(16), Table, seed: 5, runName: "same-b");
        var c = await _harness.RunAsync(new SynthesizeStage(), SpamOnly(16), Table, seed: 6, runName: "same-c");
        Assert.That(await File.ReadAllBytesAsync(a["synthetic"]), Is.EqualTo(await File.ReadAllBytesAsync(b["synthetic"])));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(a["model"], "model.onnx")), Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(b["model"], "model.onnx"))));
        Assert.That(await File.ReadAllBytesAsync(a["synthetic"]), Is.Not.EqualTo(await File.ReadAllBytesAsync(c["synthetic"])));
    }

    [Test]
    public async Task A_generator_input_is_used_instead_of_training_and_gives_the_texts_of_the_run_that_trained_it()
    {
        var trained = await _harness.RunAsync(new SynthesizeStage(), SpamOnly(16), Table, seed: 9, runName: "gen-train");
        var inputs = new Dictionary<string, string>(Table) { ["generator"] = trained["model"] };
        var reused = await _harness.RunAsync(new SynthesizeStage(), SpamOnly(16), inputs, seed: 9, runName: "gen-reuse");

        Assert.That(await File.ReadAllBytesAsync(reused["synthetic"]), Is.EqualTo(await File.ReadAllBytesAsync(trained["synthetic"])));
        var manifest = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reused["model"], TextLmSynthesisMethod.ManifestFileName)))!;
        Assert.That((string?)manifest["source"], Is.EqualTo("generator"));
        Assert.That(File.Exists(Path.Combine(reused["model"], "model.onnx")), Is.True);
    }

    [Test]
    public async Task Without_conditions_every_other_column_is_copied_from_a_real_seed_row()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), With(""" "rows": 30, """), Table, runName: "all");
        var synthetic = await ParquetTableReader.ReadFileAsync(outputs["synthetic"]);
        var ids = synthetic.Column<long>("id");
        var labels = synthetic.StringColumn("label");
        var realLabel = Enumerable.Range(0, _table.RowCount).ToDictionary(i => (long)_table["id"].GetValue(i)!, i => (string)_table["label"].GetValue(i)!);

        Assert.That(synthetic.RowCount, Is.EqualTo(30));
        Assert.That(Enumerable.Range(0, 30).All(i => realLabel[ids[i]!.Value] == labels[i]), Is.True, "id and label come from the same real row");
        Assert.That(ids.Distinct().Count(), Is.EqualTo(30), "seed rows are drawn without repeats until every row was used");
        Assert.That(labels.Distinct().Order(), Is.EqualTo(new[] { "ham", "spam" }));
    }

    [Test]
    public void An_unknown_text_column_is_a_user_error_listing_the_columns()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(),
            """{"method": "text-lm", "rows": 2, "text_lm": {"text_column": "body"}}""", Table, runName: "bad-col"));
        Assert.That(e!.Message, Does.Contain("'text_lm.text_column' names unknown column 'body'. The table has: id, text, label."));
    }

    [Test]
    public void A_text_column_that_is_not_text_is_a_user_error()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(),
            """{"method": "text-lm", "rows": 2, "text_lm": {"text_column": "id"}}""", Table, runName: "int-col"));
        Assert.That(e!.Message, Does.Contain("'text_lm.text_column' is 'id', a int64 column").And.Contain("name a String column"));
    }

    [Test]
    public void A_template_placeholder_that_is_not_a_column_is_a_user_error()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(),
            """{"method": "text-lm", "rows": 2, "text_lm": {"text_column": "text", "template": "Write a {category} email: "}}""", Table, runName: "bad-template"));
        Assert.That(e!.Message, Does.Contain("'text_lm.template'").And.Contain("'{category}', but there is no column 'category'"));
    }

    [Test]
    public void Missing_and_invalid_text_lm_options_are_named_with_their_full_path()
    {
        var missing = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(), """{"method": "text-lm"}""", Table, runName: "no-opts"));
        Assert.That(missing!.Message, Does.Contain("method 'text-lm' needs a 'text_lm' mapping"));

        var required = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(),
            """{"method": "text-lm", "text_lm": {"template": "x"}}""", Table, runName: "no-col"));
        Assert.That(required!.Message, Does.Contain("missing required option 'text_column'"));

        var nested = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(),
            """{"method": "text-lm", "text_lm": {"text_column": "text", "train": {"steps": -1}, "generate": {"top_p": 1.5}}}""", Table, runName: "nested"));
        Assert.That(nested!.Message, Does.Contain("'text_lm.train.steps' must be at least 0. You entered -1.")
            .And.Contain("'text_lm.generate.top_p' must be greater than 0 and at most 1. You entered 1.5."));

        var balance = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(),
            """{"method": "text-lm", "balance": {"column": "label"}, "text_lm": {"text_column": "text"}}""", Table, runName: "balance"));
        Assert.That(balance!.Message, Does.Contain("'balance' is not supported by method 'text-lm'"));
    }

    [Test]
    public void A_condition_no_row_meets_is_a_user_error_naming_it()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(),
            With(""" "rows": 2, "conditions": {"label": "phishing"}, """), Table, runName: "no-rows"));
        Assert.That(e!.Message, Does.Contain("No row of the table has label = phishing"));
    }
}
