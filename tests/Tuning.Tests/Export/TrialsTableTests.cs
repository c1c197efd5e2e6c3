using Parquet;

namespace Pipelines.Tuning.Tests.Export;

public class TrialsTableTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        _dir = Path.Combine(Path.GetTempPath(), "tuning-export-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_dir);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    /// <summary>Three trials: complete, failed with a comma in the message, pruned with intermediate values.</summary>
    private static Study ThreeTrials()
    {
        var study = Study.Create("export", sampler: new RandomSampler(1));
        study.EnqueueTrial(new Dictionary<string, object?> { ["lr"] = 0.01, ["rank"] = 8L, ["act"] = "relu" });
        var a = study.Ask();
        a.SuggestFloat("lr", 1e-4, 1, log: true);
        a.SuggestInt("rank", 4, 16);
        a.SuggestCategorical("act", new[] { "relu", "gelu" });
        a.SetUserAttr("epochs", 3);
        study.Tell(a, 0.5);

        var b = study.Ask();
        b.SuggestFloat("lr", 1e-4, 1, log: true);
        study.Tell(b, TrialState.Fail, failReason: "column 'x' missing, see log");

        var c = study.Ask();
        c.Report(2.0, 0);
        c.Report(1.5, 3);
        study.Tell(c, TrialState.Pruned);
        return study;
    }

    [Test]
    public void The_table_has_one_row_per_trial_with_typed_parameter_columns()
    {
        var table = TrialsTable.From(ThreeTrials());

        Assert.That(table.RowCount, Is.EqualTo(3));
        Assert.That(table.Columns.Select(c => c.Name), Is.EqualTo(new[]
        {
            "number", "state", "value", "datetime_start", "datetime_complete", "duration_seconds",
            "params_act", "params_lr", "params_rank", "user_attrs_epochs", "intermediate_values", "fail_reason",
        }));
        var byName = table.Columns.ToDictionary(c => c.Name);
        Assert.That(byName["params_lr"].Values, Is.EqualTo(new double?[] { 0.01, ((double?[])byName["params_lr"].Values)[1], null }));
        Assert.That(byName["params_rank"].Values, Is.EqualTo(new long?[] { 8, null, null }));
        Assert.That(byName["params_act"].Values, Is.EqualTo(new[] { "relu", null, null }));
        Assert.That(byName["state"].Values, Is.EqualTo(new[] { "complete", "fail", "pruned" }));
        Assert.That(byName["value"].Values, Is.EqualTo(new double?[] { 0.5, null, 1.5 }));
        Assert.That(byName["intermediate_values"].Values, Is.EqualTo(new[] { null, null, "{\"0\":2,\"3\":1.5}" }));
        Assert.That(byName["user_attrs_epochs"].Values, Is.EqualTo(new[] { "3", null, null }));
    }

    [Test]
    public void The_csv_quotes_cells_with_commas_and_writes_numbers_in_invariant_culture()
    {
        string path = Path.Combine(_dir, "trials.csv");
        TrialsTable.From(ThreeTrials()).WriteCsv(path);
        var lines = File.ReadAllLines(path);

        Assert.That(lines, Has.Length.EqualTo(4));
        Assert.That(lines[0], Does.StartWith("number,state,value,datetime_start"));
        Assert.That(lines[1], Does.StartWith("0,complete,0.5,"));
        Assert.That(lines[1], Does.Contain(",relu,0.01,8,3,,"));
        Assert.That(lines[2], Does.EndWith(",\"column 'x' missing, see log\""));
        Assert.That(lines[3], Does.Contain("\"{\"\"0\"\":2,\"\"3\"\":1.5}\""));
    }

    [Test]
    public async Task The_parquet_file_reads_back_with_the_same_columns_and_values()
    {
        string path = Path.Combine(_dir, "trials.parquet");
        await TrialsTable.From(ThreeTrials()).WriteParquetAsync(path);

        await using var reader = await ParquetReader.CreateAsync(path);
        var fields = reader.Schema.GetDataFields();
        Assert.That(fields.Select(f => f.Name), Does.Contain("params_lr").And.Contain("fail_reason"));
        using var group = reader.OpenRowGroupReader(0);
        Assert.That(group.RowCount, Is.EqualTo(3));

        var number = new long?[3];
        await group.ReadAsync<long>(fields.Single(f => f.Name == "number"), number.AsMemory(), null);
        var rank = new long?[3];
        await group.ReadAsync<long>(fields.Single(f => f.Name == "params_rank"), rank.AsMemory(), null);
        var reason = new string?[3];
        await group.ReadAsync(fields.Single(f => f.Name == "fail_reason"), reason.AsMemory(), null);

        Assert.That(number, Is.EqualTo(new long?[] { 0, 1, 2 }));
        Assert.That(rank, Is.EqualTo(new long?[] { 8, null, null }));
        Assert.That(reason[1], Is.EqualTo("column 'x' missing, see log"));
    }
}
