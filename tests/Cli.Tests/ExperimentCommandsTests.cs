using System.Text.Json;
using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary>
/// <c>exp show</c>, <c>params diff</c>, <c>metrics diff</c>, <c>show</c> and the <c>--json</c> outputs, over a two-stage
/// pipeline run twice with one <c>--set</c> change: case folding on, then off, so dedup removes 2 rows, then 1.
/// </summary>
public class ExperimentCommandsTests
{
    private const string Csv = "a,b\n1,x\n1,x\n1,X\n2,y\n3,z\n";

    private const string Pipeline = """
        name: mini
        params:
          case_fold: true
        stages:
          ingest:
            uses: ingest
            inputs: {source: d.csv}
          dedup:
            uses: dedup
            inputs: {table: ingest.table}
            with:
              mode: exact
              columns: [a, b]
              normalization:
                case_fold: ${params.case_fold}
        """;

    private string _root = null!;
    private string _first = null!;
    private string _second = null!;

    [OneTimeSetUp]
    public void RunTwice()
    {
        _root = Path.Combine(Path.GetTempPath(), "pipelines-cli-exp", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "d.csv"), Csv);
        File.WriteAllText(Path.Combine(_root, "p.yaml"), Pipeline);
        Assert.That(CliProcess.Run(_root, "run", "p.yaml").ExitCode, Is.EqualTo(0));
        Assert.That(CliProcess.Run(_root, "run", "p.yaml", "--set", "case_fold=false").ExitCode, Is.EqualTo(0));
        using var runs = Json("runs", "--json");
        var ids = runs.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("run_id").GetString()!).ToArray();
        Assert.That(ids, Has.Length.EqualTo(2));
        (_second, _first) = (ids[0], ids[1]); // newest first
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private (int Code, string Stdout, string Stderr) Cli(params string[] args) => CliProcess.Run(_root, args);

    private JsonDocument Json(params string[] args)
    {
        var (code, stdout, stderr) = Cli(args);
        Assert.That(code, Is.EqualTo(0), stderr);
        return JsonDocument.Parse(stdout);
    }

    [Test]
    public void Exp_show_lists_both_runs_with_the_changed_param_and_the_metric()
    {
        var (code, stdout, _) = Cli("exp", "show");
        Assert.That(code, Is.EqualTo(0));
        var header = stdout.Split('\n').First(l => l.Contains("run", StringComparison.Ordinal));
        Assert.That(header, Does.Contain("params.case_fold").And.Contain("dedup.normalization.case_fold").And.Contain("dedup.duplicates_removed"));
        Assert.That(header, Does.Not.Contain("dedup.mode"), "a param every run shares is not a column");
        var first = stdout.Split('\n').Single(l => l.Contains(_first, StringComparison.Ordinal));
        var second = stdout.Split('\n').Single(l => l.Contains(_second, StringComparison.Ordinal));
        Assert.That(Cells(first)[^3..], Is.EqualTo(new[] { "true", "true", "2" }));
        Assert.That(Cells(second)[^3..], Is.EqualTo(new[] { "false", "false", "1" }));
    }

    private static string[] Cells(string row) => row.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [Test]
    public void Exp_show_json_has_the_documented_fields()
    {
        using var doc = Json("exp", "show", "p.yaml", "--json");
        var root = doc.RootElement;
        Assert.That(root.GetProperty("pipeline").GetString(), Is.EqualTo("mini"));
        Assert.That(root.GetProperty("params").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "dedup.normalization.case_fold", "params.case_fold" }));
        var metric = root.GetProperty("metrics").EnumerateArray().Single();
        Assert.That(metric.GetProperty("name").GetString(), Is.EqualTo("dedup.duplicates_removed"));
        Assert.That(metric.GetProperty("direction").GetString(), Is.EqualTo("none"));
        var runs = root.GetProperty("runs").EnumerateArray().ToArray();
        Assert.That(runs.Select(r => r.GetProperty("run_id").GetString()), Is.EqualTo(new[] { _first, _second }), "oldest first");
        Assert.That(runs.Select(r => r.GetProperty("status").GetString()), Is.All.EqualTo("succeeded"));
        Assert.That(runs.Select(r => r.GetProperty("started").GetString()), Is.All.Not.Empty);
        Assert.That(runs.Select(r => r.GetProperty("params").GetProperty("params.case_fold").GetString()), Is.EqualTo(new[] { "true", "false" }));
        Assert.That(runs.Select(r => r.GetProperty("metrics").GetProperty("dedup.duplicates_removed").GetDouble()), Is.EqualTo(new[] { 2.0, 1.0 }));
    }

    [Test]
    public void Exp_show_sorts_by_a_metric_and_prints_csv()
    {
        var (code, stdout, _) = Cli("exp", "show", "--sort-by", "dedup.duplicates_removed", "--csv");
        Assert.That(code, Is.EqualTo(0));
        var lines = stdout.TrimEnd().Split('\n');
        Assert.That(lines[0], Is.EqualTo("run,started,status,dedup.normalization.case_fold,params.case_fold,dedup.duplicates_removed"));
        Assert.That(lines[1], Does.StartWith(_second + ",").And.EndWith(",false,false,1"), "ascending: a count has no better direction");
        Assert.That(lines[2], Does.StartWith(_first + ",").And.EndWith(",true,true,2"));
    }

    [Test]
    public void Params_diff_shows_old_and_new_of_the_changed_param()
    {
        var (code, stdout, _) = Cli("params", "diff");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain($"{_first} (old)").And.Contain($"{_second} (new)"));
        var row = stdout.Split('\n').Single(l => l.Contains("| params.case_fold", StringComparison.Ordinal));
        Assert.That(Cells(row), Is.EqualTo(new[] { "params.case_fold", "true", "false", "modified" }));

        using var doc = Json("params", "diff", _first, _second, "--json");
        var changes = doc.RootElement.GetProperty("changes").EnumerateArray().ToDictionary(c => c.GetProperty("path").GetString()!);
        Assert.That(changes.Keys, Is.EquivalentTo(new[] { "params.case_fold", "dedup.normalization.case_fold" }), "nothing else differs");
        Assert.That(changes["dedup.normalization.case_fold"].GetProperty("old").GetString(), Is.EqualTo("true"));
        Assert.That(changes["dedup.normalization.case_fold"].GetProperty("new").GetString(), Is.EqualTo("false"));
    }

    [Test]
    public void Metrics_diff_shows_new_minus_old()
    {
        // By hand: "1,x" twice and "1,X" are one record when case folds (2 removed), two when it does not (1 removed).
        using var doc = Json("metrics", "diff", "--json");
        Assert.That(doc.RootElement.GetProperty("old").GetString(), Is.EqualTo(_first));
        Assert.That(doc.RootElement.GetProperty("new").GetString(), Is.EqualTo(_second));
        var change = doc.RootElement.GetProperty("changes").EnumerateArray().Single();
        Assert.That(change.GetProperty("path").GetString(), Is.EqualTo("dedup.duplicates_removed"));
        Assert.That(change.GetProperty("old").GetDouble(), Is.EqualTo(2));
        Assert.That(change.GetProperty("new").GetDouble(), Is.EqualTo(1));
        Assert.That(change.GetProperty("change").GetDouble(), Is.EqualTo(-1));

        var (code, stdout, _) = Cli("metrics", "diff", _first[..17]);
        Assert.That(code, Is.EqualTo(0), "a unique prefix names a run");
        Assert.That(Cells(stdout.Split('\n').Single(l => l.Contains("| dedup.", StringComparison.Ordinal))), Is.EqualTo(new[] { "dedup.duplicates_removed", "2", "1", "-1" }));
    }

    [Test]
    public void Show_prints_the_first_rows_of_a_table_output()
    {
        var (code, stdout, _) = Cli("show", "dedup.table", "--head", "2", "--csv");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Is.EqualTo("a,b\n1,x\n1,X\n"), "the newest run keeps 1,X: case no longer folds");

        (code, stdout, _) = Cli("show", "ingest.table", "--columns", "b", "--csv");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Is.EqualTo("b\nx\nx\nX\ny\nz\n"));

        (code, stdout, _) = Cli("show", "dedup.table", "--run", _first, "--csv");
        Assert.That(stdout, Is.EqualTo("a,b\n1,x\n2,y\n3,z\n"), "the first run folded case");
    }

    [Test]
    public void Status_json_says_each_stage_and_whether_it_will_run()
    {
        using var doc = Json("status", "p.yaml", "--json", "--set", "case_fold=false");
        Assert.That(doc.RootElement.GetProperty("pipeline").GetString(), Is.EqualTo("mini"));
        Assert.That(doc.RootElement.GetProperty("up_to_date").GetBoolean(), Is.True);
        var stages = doc.RootElement.GetProperty("stages").EnumerateArray().ToArray();
        Assert.That(stages.Select(s => s.GetProperty("id").GetString()), Is.EqualTo(new[] { "ingest", "dedup" }));
        Assert.That(stages.Select(s => s.GetProperty("will_run").GetBoolean()), Is.All.False);
        Assert.That(stages.Select(s => s.GetProperty("reason").GetString()), Is.All.EqualTo("up to date"));
        Assert.That(stages.Select(s => s.GetProperty("fingerprint").GetString()), Is.All.Not.Empty);
    }

    [Test]
    public void Runs_json_counts_what_ran_and_what_was_restored()
    {
        using var doc = Json("runs", "--json");
        var newest = doc.RootElement.GetProperty("runs")[0];
        Assert.That(newest.GetProperty("pipeline").GetString(), Is.EqualTo("mini"));
        Assert.That(newest.GetProperty("status").GetString(), Is.EqualTo("succeeded"));
        Assert.That((newest.GetProperty("ran").GetInt32(), newest.GetProperty("cached").GetInt32(), newest.GetProperty("failed").GetInt32()), Is.EqualTo((1, 1, 0)));
        Assert.That(newest.GetProperty("seconds").GetDouble(), Is.GreaterThan(0));
    }

    [TestCase("params diff nope", "no run 'nope'. Expected a run id from `pipelines runs`")]
    [TestCase("exp show --sort-by eval.accuracy", "--sort-by eval.accuracy: no such metric or differing param. Expected one of the columns (metrics: dedup.duplicates_removed;")]
    [TestCase("show dedup.nope", "no output 'dedup.nope' in any recorded run. Expected one of: dedup.duplicates, dedup.table, ingest.table.")]
    [TestCase("show dedup", "'dedup' is not stage.output.")]
    [TestCase("show dedup.report", "dedup.report is not a table")]
    [TestCase("show dedup.table --columns q", "--columns q: the table has no column 'q'. Expected some of its columns: a, b.")]
    public void A_bad_argument_exits_2_naming_what_was_expected(string command, string message)
    {
        var (code, _, stderr) = Cli(command.Split(' '));
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain(message));
        Assert.That(stderr, Does.Not.Contain("   at "));
    }
}
