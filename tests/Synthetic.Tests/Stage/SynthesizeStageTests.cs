using Pipelines.Core;
using Pipelines.Core.Tables;

namespace Pipelines.Synthetic.Tests.Stage;

public class SynthesizeStageTests
{
    private StageHarness _harness = null!;
    private string _adult = null!;

    [OneTimeSetUp]
    public async Task WriteAdult()
    {
        _harness = new StageHarness();
        _adult = await _harness.WriteInputAsync("adult", AdultData.Load().Slice(0, 3000));
    }

    [OneTimeTearDown]
    public void Cleanup() => _harness.Dispose();

    private Dictionary<string, string> Table => new() { ["table"] = _adult };

    [Test]
    public async Task Copula_run_writes_synthetic_rows_tagged_synthetic_a_reusable_model_and_a_report()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), """{"method": "copula", "rows": 2000}""", Table, runName: "basic");
        var synthetic = await ParquetTableReader.ReadFileAsync(outputs["synthetic"]);
        Assert.That(synthetic.RowCount, Is.EqualTo(2000));
        Assert.That(synthetic.StringColumn("_source").All(s => s == "synthetic"), Is.True);
        Assert.That(synthetic.Schema.Columns.Select(c => c.Name), Is.EqualTo(AdultData.Load().Columns.Select(c => c.Name).Append("_source")));

        var model = SynthesizerStore.Load(outputs["model"]);
        Assert.That(model.Method, Is.EqualTo("copula"));
        Assert.That(File.Exists(Path.Combine(outputs["report"], "report.json")), Is.True);
        string html = await File.ReadAllTextAsync(Path.Combine(outputs["report"], "report.html"));
        Assert.That(html, Does.Contain("Plotly.newPlot").And.Contain("hours_per_week").And.Contain("\"heatmap\""));
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outputs["report"], "report.json")))!;
        Assert.That((double)json["quality"]!["overall_score"]!, Is.EqualTo((double)_harness.LastSummary["quality_score"]).Within(1e-4));
        Assert.That(json["quality"]!["column_shapes"]!.AsArray(), Has.Count.EqualTo(15));
        Assert.That((double)_harness.LastSummary["quality_score"], Is.GreaterThan(0.85));
        Assert.That(_harness.LastSummary["rows_out"], Is.EqualTo(2000));
    }

    [Test]
    public async Task Tvae_run_trains_exports_an_onnx_decoder_and_samples_through_it()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(),
            """{"method": "tvae", "rows": 1000, "tvae": {"epochs": 2, "hidden_dims": [32], "latent_dim": 4, "batch_size": 250}}""", Table, runName: "tvae");
        var synthetic = await ParquetTableReader.ReadFileAsync(outputs["synthetic"]);
        Assert.That(synthetic.RowCount, Is.EqualTo(1000));
        Assert.That(File.Exists(Path.Combine(outputs["model"], "decoder.onnx")), Is.True);
        var reloaded = SynthesizerStore.Load(outputs["model"]);
        var again = reloaded.Sample(1000, 0);
        Assert.That(again.RowCount, Is.EqualTo(1000));
        ((IDisposable)reloaded).Dispose();
    }

    [Test]
    public async Task Tvae_runs_with_the_same_seed_write_byte_identical_tables()
    {
        const string with = """{"method": "tvae", "rows": 800, "tvae": {"epochs": 1, "hidden_dims": [16], "latent_dim": 4, "batch_size": 300}}""";
        var a = await _harness.RunAsync(new SynthesizeStage(), with, Table, seed: 21, runName: "tvae-a");
        var b = await _harness.RunAsync(new SynthesizeStage(), with, Table, seed: 21, runName: "tvae-b");
        Assert.That(await File.ReadAllBytesAsync(a["synthetic"]), Is.EqualTo(await File.ReadAllBytesAsync(b["synthetic"])));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(a["model"], "decoder.onnx")), Is.EqualTo(await File.ReadAllBytesAsync(Path.Combine(b["model"], "decoder.onnx"))));
    }

    [Test]
    public async Task Declared_and_found_relations_hold_in_every_row_and_the_report_lists_them_beside_the_baseline()
    {
        string built = await _harness.WriteInputAsync("built", Rules.DataRulesTests.Built());
        var outputs = await _harness.RunAsync(new SynthesizeStage(),
            """{"rows": 1500, "constraints": [{"type": "inequality", "low": "noise", "high": "start"}]}""",
            new Dictionary<string, string> { ["table"] = built }, runName: "rules");
        var synthetic = await ParquetTableReader.ReadFileAsync(outputs["synthetic"]);
        var noise = synthetic.Column<long>("noise");
        var start = synthetic.Column<long>("start");
        var grade = synthetic.StringColumn("grade");
        var points = synthetic.Column<long>("grade_points");
        var expected = new Dictionary<string, long> { ["A"] = 4, ["B"] = 3, ["C"] = 2, ["D"] = 1 };
        for (int i = 0; i < synthetic.RowCount; i++)
        {
            Assert.That(noise[i] <= start[i], Is.True, $"row {i}: the declared noise <= start");
            Assert.That(points[i], Is.EqualTo(expected[grade[i]!]), $"row {i}: the found grade -> grade_points");
        }

        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outputs["report"], "report.json")))!;
        var rules = json["rules"]!.AsArray();
        Assert.That((string)rules[0]!["type"]!, Is.EqualTo("inequality"));
        Assert.That((bool)rules[0]!["detected"]!, Is.False);
        Assert.That(rules.Select(r => (string)r!["type"]!), Is.EquivalentTo(new[] { "inequality", "functional_dependency", "fixed_combinations", "inequality" }));
        Assert.That(rules.Select(r => (double)r!["synthetic_share"]!), Is.All.EqualTo(1.0));
        Assert.That((double)json["baseline"]!["column_shapes_score"]!, Is.EqualTo(1.0).Within(1e-12));
        string html = await File.ReadAllTextAsync(Path.Combine(outputs["report"], "report.html"));
        Assert.That(html, Does.Contain("Relations in the data, kept in the synthetic rows").And.Contain("How much joint structure was learned"));
        Assert.That(File.Exists(Path.Combine(outputs["model"], RuleKeepingSynthesizer.RulesFile)), Is.True);
    }

    [Test]
    public async Task Bayesnet_run_writes_a_reloadable_network_and_scores_related_pairs_above_the_independent_baseline()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), """{"method": "bayesnet", "rows": 2000, "bayesnet": {"degree": 2}}""", Table, runName: "bayesnet");
        Assert.That((await ParquetTableReader.ReadFileAsync(outputs["synthetic"])).RowCount, Is.EqualTo(2000));
        Assert.That(SynthesizerStore.Load(outputs["model"]).Method, Is.EqualTo("bayesnet"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(outputs["report"], "report.json")))!;
        double related = (double)json["quality"]!["thresholded_pair_trends_score"]!;
        Assert.That(related, Is.GreaterThan((double)json["baseline"]!["thresholded_pair_trends_score"]! + 0.1));
    }

    [Test]
    public void A_malformed_constraint_names_its_place_in_the_list()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(),
            """{"constraints": [{"type": "inequality", "low": "age", "high": "age"}]}""", Table, runName: "bad-constraint"));
        Assert.That(e!.Message, Does.Contain("'constraints[0]' must be"));
    }

    [Test]
    public void Invalid_method_options_name_the_method_and_field()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() =>
            _harness.RunAsync(new SynthesizeStage(), """{"method": "tvae", "tvae": {"epochs": 0}}""", Table, runName: "bad-tvae"));
        Assert.That(e!.Message, Does.Contain("tvae: 'epochs' must be between 1 and 100000. You entered 0."));
    }

    [Test]
    public async Task The_same_seed_writes_a_byte_identical_synthetic_table()
    {
        var a = await _harness.RunAsync(new SynthesizeStage(), """{"rows": 1500}""", Table, seed: 11, runName: "same-a");
        var b = await _harness.RunAsync(new SynthesizeStage(), """{"rows": 1500}""", Table, seed: 11, runName: "same-b");
        var c = await _harness.RunAsync(new SynthesizeStage(), """{"rows": 1500}""", Table, seed: 12, runName: "same-c");
        Assert.That(await File.ReadAllBytesAsync(a["synthetic"]), Is.EqualTo(await File.ReadAllBytesAsync(b["synthetic"])));
        Assert.That(await File.ReadAllBytesAsync(a["synthetic"]), Is.Not.EqualTo(await File.ReadAllBytesAsync(c["synthetic"])));
    }

    [Test]
    public async Task Mix_appends_synthetic_rows_after_the_real_ones_with_their_source()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), """{"rows": 500, "mix": true}""", Table, runName: "mix");
        var mixed = await ParquetTableReader.ReadFileAsync(outputs["mixed"]);
        var source = mixed.StringColumn("_source");
        Assert.That(mixed.RowCount, Is.EqualTo(3500));
        Assert.That(source.Take(3000).All(s => s == "real") && source.Skip(3000).All(s => s == "synthetic"), Is.True);
    }

    [Test]
    public async Task Without_mix_the_mixed_table_is_empty_but_present()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), """{"rows": 100}""", Table, runName: "no-mix");
        var mixed = await ParquetTableReader.ReadFileAsync(outputs["mixed"]);
        Assert.That(mixed.RowCount, Is.Zero);
        Assert.That(mixed.Schema.IndexOf("_source"), Is.EqualTo(15));
    }

    [Test]
    public async Task Conditions_hold_on_every_synthetic_row()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), """{"rows": 400, "conditions": {"income": ">50K", "sex": "Female"}}""", Table, runName: "cond");
        var synthetic = await ParquetTableReader.ReadFileAsync(outputs["synthetic"]);
        Assert.That(synthetic.StringColumn("income").All(v => v == ">50K"), Is.True);
        Assert.That(synthetic.StringColumn("sex").All(v => v == "Female"), Is.True);
    }

    [Test]
    public async Task Balance_makes_the_mixed_table_balanced()
    {
        var outputs = await _harness.RunAsync(new SynthesizeStage(), """{"balance": {"column": "income"}, "mix": true}""", Table, runName: "balance");
        var mixed = await ParquetTableReader.ReadFileAsync(outputs["mixed"]);
        var counts = mixed.StringColumn("income").GroupBy(v => v).ToDictionary(g => g.Key!, g => g.Count());
        Assert.That(counts[">50K"], Is.EqualTo(counts["<=50K"]));
    }

    [Test]
    public void A_condition_on_an_unknown_column_is_a_user_error_naming_it()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() =>
            _harness.RunAsync(new SynthesizeStage(), """{"conditions": {"salary": "high"}}""", Table, runName: "bad-col"));
        Assert.That(e!.Message, Does.Contain("unknown column 'salary'"));
    }

    [Test]
    public void Rows_below_one_and_unknown_methods_are_rejected_by_validation()
    {
        var e = Assert.ThrowsAsync<UserInputException>(() => _harness.RunAsync(new SynthesizeStage(), """{"rows": 0, "method": "gan"}""", Table, runName: "bad-opts"));
        Assert.That(e!.Message, Does.Contain("'rows' must be at least 1. You entered 0.").And.Contain("'method' must be one of").And.Contain("You entered 'gan'"));
    }

    [Test]
    public async Task An_empty_table_is_a_user_error()
    {
        var empty = await _harness.WriteInputAsync("empty", AdultData.Load().Slice(0, 0));
        var e = Assert.ThrowsAsync<UserInputException>(() =>
            _harness.RunAsync(new SynthesizeStage(), "{}", new Dictionary<string, string> { ["table"] = empty }, runName: "empty"));
        Assert.That(e!.Message, Does.Contain("'table' is empty"));
    }

    [Test]
    public async Task An_all_null_column_is_a_user_error_naming_it()
    {
        var table = new ColumnTable([TableColumn.FromInt64("age", [30, 40, 50]), TableColumn.FromStrings("notes", [null, null, null])]);
        var path = await _harness.WriteInputAsync("nulls", table);
        var e = Assert.ThrowsAsync<UserInputException>(() =>
            _harness.RunAsync(new SynthesizeStage(), "{}", new Dictionary<string, string> { ["table"] = path }, runName: "nulls"));
        Assert.That(e!.Message, Does.Contain("'notes'").And.Contain("only null"));
    }

    [Test]
    public async Task A_holdout_adds_the_dcr_ratio_to_the_summary()
    {
        var holdout = await _harness.WriteInputAsync("holdout", AdultData.Load().Slice(3000, 1000));
        await _harness.RunAsync(new SynthesizeStage(), """{"rows": 1000, "privacy_rows": 300}""",
            new Dictionary<string, string> { ["table"] = _adult, ["holdout"] = holdout }, runName: "holdout");
        Assert.That((double)_harness.LastSummary["dcr_ratio"], Is.GreaterThan(1.0));
    }
}
