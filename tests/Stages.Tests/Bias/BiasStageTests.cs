using System.Text.Json.Nodes;
using Pipelines.Core.Tables;
using Pipelines.Stages.Bias;
using Pipelines.Stages.Tests.TestData;

namespace Pipelines.Stages.Tests.Bias;

public class BiasStageTests
{
    private StageRunner _runner = null!;

    [SetUp]
    public void SetUp() => _runner = new StageRunner();

    [TearDown]
    public void TearDown() => _runner.Dispose();

    private Task<string> AdultAsync() => TestTables.WriteAsync(TestTables.Adult(), _runner.Directory, "adult", rowGroupSize: 700);

    private static BiasOptions AdultOptions() => new()
    {
        Label = "income",
        PositiveLabel = ">50K",
        Sensitive = ["sex", "race", "age"],
        Bins = new() { ["age"] = [30, 50] },
        TextColumns = ["education"],
    };

    [Test]
    public async Task Metrics_table_holds_adult_disparate_impact_and_binned_age_groups()
    {
        var context = await _runner.RunAsync(new BiasStage(), AdultOptions(), new Dictionary<string, string> { ["table"] = await AdultAsync() });
        var metrics = await ParquetTableReader.ReadFileAsync(context.OutputPath("metrics"));
        double? Value(string attribute, string group, string metric)
        {
            for (int i = 0; i < metrics.RowCount; i++)
            {
                if (metrics.StringColumn("attribute")[i] == attribute && metrics.StringColumn("group")[i] == group && metrics.StringColumn("metric")[i] == metric)
                {
                    return metrics.Column<double>("value")[i];
                }
            }

            return null;
        }

        Assert.That(Value("sex", "*", "disparate_impact"), Is.EqualTo((81.0 / 628) / (418.0 / 1372)).Within(1e-12));
        var rows = TestTables.AdultRows();
        int young = rows.Count(r => int.Parse(r[0], System.Globalization.CultureInfo.InvariantCulture) < 30);
        Assert.That(Value("age", "<30", "count"), Is.EqualTo(young));
        Assert.That(Value("age", "[30, 50)", "share"), Is.Not.Null);
        Assert.That(Value("sex", "Female", "text_length:education:mean"), Is.GreaterThan(0));
        Assert.That(context.Summary["disparate_impact.sex"], Is.EqualTo((81.0 / 628) / (418.0 / 1372)).Within(1e-12));

        string html = await File.ReadAllTextAsync(Path.Combine(context.OutputPath("report"), "report.html"));
        Assert.That(html, Does.Contain("Base rate").And.Contain("Plotly.newPlot").And.Contain("error_y"));
    }

    [Test]
    public async Task On_violation_fail_fails_after_writing_the_report_with_the_violations()
    {
        var options = AdultOptions();
        options.Thresholds = new BiasThresholds { DisparateImpactMin = 0.8 };
        options.OnViolation = ViolationAction.Fail;
        string input = await AdultAsync();
        var error = Assert.ThrowsAsync<BiasThresholdException>(() =>
            _runner.RunAsync(new BiasStage(), options, new Dictionary<string, string> { ["table"] = input }, "fail"));
        Assert.That(error!.Message, Does.StartWith("Bias check failed: ").And.Contain("disparate_impact_min: sex (all) is 0.4234, limit 0.8"));
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_runner.Directory, "fail", "out", "report", "report.json")))!;
        var names = report["violations"]!.AsArray().Select(v => (string)v!["attribute"]!).ToArray();
        Assert.That(names, Does.Contain("sex"));
    }

    [Test]
    public async Task On_violation_warn_succeeds_and_counts_the_violations()
    {
        var options = AdultOptions();
        options.Thresholds = new BiasThresholds { DisparateImpactMin = 0.8 };
        var context = await _runner.RunAsync(new BiasStage(), options, new Dictionary<string, string> { ["table"] = await AdultAsync() });
        Assert.That((long)context.Summary["bias_violations"], Is.GreaterThanOrEqualTo(2)); // sex and race at least
    }

    [Test]
    public async Task A_missing_label_column_is_named_with_the_columns_that_exist()
    {
        var options = AdultOptions();
        options.Label = "salary";
        string input = await AdultAsync();
        var error = Assert.ThrowsAsync<InvalidDataException>(() => _runner.RunAsync(new BiasStage(), options, new Dictionary<string, string> { ["table"] = input }));
        Assert.That(error!.Message, Is.EqualTo("Column 'salary' (in 'label') does not exist in input 'table'. The table has: age, education, race, sex, hours_per_week, income."));
    }

    [Test]
    public void Invalid_options_name_the_field_and_value()
    {
        var errors = new BiasStage().Validate(new BiasOptions
        {
            Label = "income",
            Sensitive = ["age"],
            Bins = new() { ["age"] = [50, 30] },
            Thresholds = new BiasThresholds { DisparateImpactMin = 1.2 },
        }).ToArray();
        Assert.That(errors, Is.EquivalentTo(new[]
        {
            "'thresholds.disparate_impact_min' must be in (0, 1]. You entered 1.2.",
            "'bins.age' must be a non-empty list of strictly ascending edges. You entered [50, 30].",
        }));
    }

    /// <summary>
    /// Issue 16: <c>positive_label: 1</c> is the YAML number 1; it must bind and match a label column of integers.
    /// Three labels, so no default positive label exists and only the option can choose one.
    /// </summary>
    [TestCase("1", 1.0 / 3, 2.0 / 3)]
    [TestCase("2", 1.0 / 3, 1.0 / 3)]
    [TestCase("1.0", 1.0 / 3, 2.0 / 3)]
    [TestCase("\"1\"", 1.0 / 3, 2.0 / 3)]
    public async Task A_numeric_positive_label_matches_an_integer_label_column(string positiveLabel, double femaleBaseRate, double maleBaseRate)
    {
        // Female: labels 2, 1, 0; Male: 1, 1, 2. So P(label = 1) is 1/3 and 2/3, P(label = 2) is 1/3 and 1/3.
        var schema = new TableSchema([new ColumnSchema("sex", ColumnType.String), new ColumnSchema("label", ColumnType.Int64)]);
        var table = new TableBatch(schema, 6, [
            new string?[] { "Female", "Female", "Female", "Male", "Male", "Male" },
            new long?[] { 2, 1, 0, 1, 1, 2 },
        ]);
        string input = await TestTables.WriteAsync(table, _runner.Directory, "labels");
        var options = Pipelines.Core.Definition.OptionsBinder.Bind<BiasOptions>(
            JsonNode.Parse($$"""{"label": "label", "sensitive": ["sex"], "positive_label": {{positiveLabel}}, "bootstrap": 0}""")!.AsObject());

        var context = await _runner.RunAsync(new BiasStage(), options, new Dictionary<string, string> { ["table"] = input });

        var metrics = await ParquetTableReader.ReadFileAsync(context.OutputPath("metrics"));
        double? BaseRate(string group) => Enumerable.Range(0, metrics.RowCount)
            .Where(i => metrics.StringColumn("group")[i] == group && metrics.StringColumn("metric")[i] == "base_rate" && metrics.StringColumn("subset")[i] == "all")
            .Select(i => metrics.Column<double>("value")[i]).SingleOrDefault();
        Assert.That(BaseRate("Female"), Is.EqualTo(femaleBaseRate).Within(1e-12));
        Assert.That(BaseRate("Male"), Is.EqualTo(maleBaseRate).Within(1e-12));
    }
}
