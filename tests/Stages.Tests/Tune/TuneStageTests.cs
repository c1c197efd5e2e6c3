using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tables;

namespace Pipelines.Stages.Tests.Tune;

[NonParallelizable]
public class TuneStageTests
{
    private string _root = null!;
    private PipelineRunner _runner = null!;

    [SetUp]
    public async Task SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "tune-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        var schema = new TableSchema([new ColumnSchema("x", ColumnType.Int64)]);
        await ParquetTableWriter.WriteFileAsync(Path.Combine(_root, "train.parquet"), new TableBatch(schema, 1, [new long?[] { 1 }]));
        _runner = new PipelineRunner(new Workspace(_root), new StageRegistry().AddRange(StagesCatalog.All()).Add(new QuadraticStage()));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_root, true);

    /// <summary>
    /// Runs this test's <c>p.yaml</c> in a fresh workspace, as on another machine, hands the workspace root and result
    /// to <paramref name="inspect"/>, then deletes the workspace.
    /// </summary>
    private async Task<RunResult> RunElsewhereAsync(Func<string, RunResult, Task>? inspect = null)
    {
        string root = Path.Combine(Path.GetTempPath(), "tune-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            File.Copy(Path.Combine(_root, "train.parquet"), Path.Combine(root, "train.parquet"));
            File.Copy(Path.Combine(_root, "p.yaml"), Path.Combine(root, "p.yaml"));
            var runner = new PipelineRunner(new Workspace(root), new StageRegistry().AddRange(StagesCatalog.All()).Add(new QuadraticStage()));
            var result = await runner.RunAsync(YamlPipelineLoader.Load(Path.Combine(root, "p.yaml")));
            if (inspect is not null) await inspect(root, result);
            return result;
        }
        finally
        {
            Directory.Delete(root, true);
        }
    }

    private PipelineDefinition Load(int trials, string extra = "", string? storage = null, int nJobs = 1)
    {
        string storageLine = storage is null ? "" : $"\n      storage: \"{storage}\"";
        string yaml = $$"""
            name: tuning
            seed: 3
            stages:
              search:
                uses: tune
                inputs: {train: train.parquet}
                with:
                  objective: quadratic
                  metric: val_loss
                  n_trials: {{trials}}{{storageLine}}
                  n_jobs: {{nJobs}}
                  sampler: {type: tpe, n_startup_trials: 8}
                  search_space:
                    x: {float: [-5, 5]}
                    y: {float: [-5, 5]}
                    shape: {categorical: [bowl, flat]}
            {{extra}}
            """;
        File.WriteAllText(Path.Combine(_root, "p.yaml"), yaml);
        return YamlPipelineLoader.Load(Path.Combine(_root, "p.yaml"));
    }

    [Test]
    public async Task A_search_finds_a_good_point_writes_its_outputs_and_a_rerun_restores_everything()
    {
        int before = QuadraticStage.Executions;
        var result = await _runner.RunAsync(Load(30));
        Assert.That(result.Succeeded, Is.True, result.Stages[0].Error);
        Assert.That(QuadraticStage.Executions - before, Is.EqualTo(30));

        var best = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, ".pipelines/out/tuning/search/best_params.json")))!;
        Assert.That(best["params"]!["shape"]!.GetValue<string>(), Is.EqualTo("bowl"));
        Assert.That(best["value"]!.GetValue<double>(), Is.LessThan(1.5), "TPE should get near the minimum (0 at x=2, y=-1) in 30 trials");
        var trials = await ParquetTableReader.ReadFileAsync(Path.Combine(_root, ".pipelines/out/tuning/search/trials.parquet"));
        Assert.That(trials.RowCount, Is.EqualTo(30));
        Assert.That(File.ReadAllText(Path.Combine(_root, ".pipelines/out/tuning/search/report/report.html")), Does.Contain("history"));
        Assert.That(File.Exists(Path.Combine(_root, ".pipelines/out/tuning/search/study.db")), Is.True);

        before = QuadraticStage.Executions;
        var again = await _runner.RunAsync(Load(30));
        Assert.That(again.Stages[0].Status, Is.EqualTo(StageStatus.Cached));
        Assert.That(QuadraticStage.Executions, Is.EqualTo(before));
    }

    [Test]
    public async Task Two_clean_runs_of_the_same_search_write_byte_identical_study_trials_and_report()
    {
        var first = await _runner.RunAsync(Load(10));
        await Task.Delay(50); // different wall-clock times for every trial
        await RunElsewhereAsync(async (root, second) =>
        {
            Assert.That(second.Stages[0].Status, Is.EqualTo(StageStatus.Ran));
            Assert.That(second.Stages[0].Outputs, Is.EqualTo(first.Stages[0].Outputs), "every output hash: study, trials, report, best params");
            var trials = await ParquetTableReader.ReadFileAsync(Path.Combine(root, second.Stages[0].OutputPaths["trials"]));
            int start = trials.Schema.Columns.ToList().FindIndex(c => c.Name == "datetime_start");
            Assert.That((DateTime?[])trials.Columns[start], Is.All.Null, "wall times belong in the run log");
            Assert.That(second.Stages[0].Summary["trial_seconds_mean"], Is.Not.Null);
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(4)]
    public async Task A_seeded_search_with_n_jobs_in_flight_gives_the_same_trials_whichever_finishes_first(int nJobs)
    {
        // Two clean workspaces; in one the trials with x > 0 are slow, in the other those with x < 0: the trials of a
        // batch finish in opposite orders, and every output must still be the same bytes.
        var outputs = new List<IReadOnlyDictionary<string, string>>();
        try
        {
            foreach (var slow in new Func<double, bool>[] { x => x > 0, x => x < 0 })
            {
                QuadraticStage.Delay = (x, _) => slow(x) ? 60 : 0;
                Load(12, nJobs: nJobs);
                var result = await RunElsewhereAsync();
                Assert.That(result.Succeeded, Is.True, result.Stages[0].Error);
                outputs.Add(result.Stages[0].Outputs);
            }
        }
        finally
        {
            QuadraticStage.Delay = (_, _) => 0;
        }

        foreach (var (name, hash) in outputs[0]) Assert.That(outputs[1][name], Is.EqualTo(hash), $"output '{name}': the same bytes");
    }

    [Test]
    public async Task More_trials_rerun_the_search_but_restore_every_finished_trial_from_the_cache()
    {
        await _runner.RunAsync(Load(12));
        int before = QuadraticStage.Executions;
        var result = await _runner.RunAsync(Load(16));
        Assert.That(result.Stages[0].Status, Is.EqualTo(StageStatus.Ran));
        Assert.That(QuadraticStage.Executions - before, Is.EqualTo(4), "the first 12 trials suggest the same params and are restored");
        Assert.That(result.Stages[0].Summary["restored_trials"]!.GetValue<int>(), Is.EqualTo(12));
    }

    [Test]
    public async Task Cancelling_a_search_midway_then_running_again_repeats_no_finished_trial()
    {
        using var cts = new CancellationTokenSource();
        int before = QuadraticStage.Executions;
        var cancelled = await _runner.RunAsync(Load(20), null, new CancelAfterTrials(7, cts), cts.Token);
        Assert.That(cancelled.Status, Is.EqualTo("cancelled"));
        int finishedBeforeCancel = QuadraticStage.Executions - before;
        Assert.That(finishedBeforeCancel, Is.InRange(7, 19));

        before = QuadraticStage.Executions;
        var resumed = await _runner.RunAsync(Load(20));
        Assert.That(resumed.Succeeded, Is.True, resumed.Stages[0].Error);
        Assert.That(QuadraticStage.Executions - before, Is.EqualTo(20 - finishedBeforeCancel), "trials finished before Ctrl+C are restored, not rerun");
        Assert.That(resumed.Stages[0].Summary["restored_trials"]!.GetValue<int>(), Is.EqualTo(finishedBeforeCancel));
    }

    /// <summary>Cancels the run (as Ctrl+C does) once the search has finished a number of trials.</summary>
    private sealed class CancelAfterTrials(int trials, CancellationTokenSource cts) : IRunObserver
    {
        public void OnEvent(RunEvent runEvent)
        {
            if (runEvent is StageProgressed { Progress.Done: var done } && done >= trials) cts.Cancel();
        }
    }

    [Test]
    public async Task A_pruner_stops_trials_whose_curves_are_worse_than_the_median()
    {
        var definition = Load(20);
        var with = definition.Stages[0].With;
        with["pruner"] = new JsonObject { ["type"] = "median", ["n_startup_trials"] = 5 };
        var result = await _runner.RunAsync(definition);
        Assert.That(result.Succeeded, Is.True, result.Stages[0].Error);
        Assert.That(result.Stages[0].Summary["pruned"]!.GetValue<int>(), Is.GreaterThan(0));
    }

    [Test]
    public void A_bad_search_space_is_reported_before_anything_runs()
    {
        var definition = Load(5);
        definition.Stages[0].With["search_space"] = JsonNode.Parse("{\"lr\": {\"float\": [0, 1], \"log\": true}}");
        var ex = Assert.ThrowsAsync<PipelineValidationException>(() => _runner.RunAsync(definition));
        Assert.That(ex!.Message, Does.Contain("stage 'search': search_space.lr: low must be greater than 0 for a log distribution, but got low=0."));
    }

    [Test]
    public async Task A_metric_the_objective_does_not_report_fails_the_stage_naming_what_it_reported()
    {
        var definition = Load(3);
        definition.Stages[0].With["metric"] = "accuracy";
        var result = await _runner.RunAsync(definition);
        Assert.That(result.Stages[0].Status, Is.EqualTo(StageStatus.Failed));
        Assert.That(result.Stages[0].Error, Does.Contain("the objective stage 'quadratic' reported no numeric 'accuracy'. It reported: val_loss."));
    }

    /// <summary>Keeps what the search logged and the progress it reported, as the console sees them.</summary>
    private sealed class RecordingObserver : IRunObserver
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public ConcurrentQueue<StageProgress> Progress { get; } = new();

        public void OnEvent(RunEvent runEvent)
        {
            if (runEvent is StageLogged { StageId: "search" } logged) Lines.Enqueue(logged.Message);
            if (runEvent is StageProgressed { StageId: "search" } progressed) Progress.Enqueue(progressed.Progress);
        }

        public List<string> TrialLines() => Lines.Where(l => l.StartsWith("Trial ", StringComparison.Ordinal) && !l.StartsWith("Trial seconds", StringComparison.Ordinal)).ToList();
    }

    private static string G6(double v) => v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Optuna's lines, built from the trials table the search wrote (one job: trials finish in number order).</summary>
    private static async Task<List<string>> ExpectedLinesAsync(string trialsPath)
    {
        var table = await ParquetTableReader.ReadFileAsync(trialsPath);
        T[] Column<T>(string name) => (T[])table.Columns[table.Schema.Columns.ToList().FindIndex(c => c.Name == name)];
        var numbers = Column<long?>("number");
        var states = Column<string?>("state");
        var values = Column<double?>("value");
        var xs = Column<double?>("params_x");
        var ys = Column<double?>("params_y");
        var shapes = Column<string?>("params_shape");
        var lines = new List<string>();
        long bestNumber = -1;
        double bestValue = double.PositiveInfinity;
        for (int i = 0; i < table.RowCount; i++)
        {
            if (states[i] == "pruned") { lines.Add($"Trial {numbers[i]} pruned."); continue; }
            Assert.That(states[i], Is.EqualTo("complete"));
            if (values[i]!.Value < bestValue) (bestNumber, bestValue) = (numbers[i]!.Value, values[i]!.Value);
            lines.Add($"Trial {numbers[i]} finished with value {G6(values[i]!.Value)} and parameters {{'shape': '{shapes[i]}', 'x': {G6(xs[i]!.Value)}, 'y': {G6(ys[i]!.Value)}}}. Best is trial {bestNumber} with value {G6(bestValue)}.");
        }

        return lines;
    }

    [Test]
    public async Task The_console_gets_Optunas_line_per_trial_one_device_line_and_a_live_trial_counter()
    {
        var definition = Load(10);
        definition.Stages[0].With["pruner"] = new JsonObject { ["type"] = "median", ["n_startup_trials"] = 3 };
        var observer = new RecordingObserver();
        var result = await _runner.RunAsync(definition, null, observer);
        Assert.That(result.Succeeded, Is.True, result.Stages[0].Error);

        var expected = await ExpectedLinesAsync(Path.Combine(_root, result.Stages[0].OutputPaths["trials"]));
        Assert.That(expected.Any(l => l.EndsWith("pruned.", StringComparison.Ordinal)), Is.True, "the median pruner should prune some trial here");
        Assert.That(observer.TrialLines(), Is.EqualTo(expected));
        Assert.That(observer.Lines.Count(l => l.StartsWith("Device auto", StringComparison.Ordinal)), Is.EqualTo(1), "one device line per search, not per trial");
        // The counter: one step per finished trial (the trial's own steps do not move it), with the best value so far.
        var counters = new List<(double, double, string?)>();
        double best = double.PositiveInfinity;
        foreach (var line in expected)
        {
            var value = System.Text.RegularExpressions.Regex.Match(line, "finished with value (\\S+) and");
            if (value.Success) best = Math.Min(best, double.Parse(value.Groups[1].Value, CultureInfo.InvariantCulture));
            string text = $"trial {counters.Count + 1}/10";
            counters.Add((counters.Count + 1, 10, double.IsFinite(best) ? $"{text}, best val_loss {G6(best)}" : text));
        }

        Assert.That(observer.Progress.Select(p => (p.Done, p.Total, p.Message)), Is.EqualTo(counters));
    }

    [Test]
    public async Task Trials_restored_from_the_cache_say_so_and_log_no_device_line()
    {
        await _runner.RunAsync(Load(6));
        var observer = new RecordingObserver();
        var result = await _runner.RunAsync(Load(8), null, observer);
        Assert.That(result.Succeeded, Is.True, result.Stages[0].Error);

        var lines = observer.TrialLines();
        var expected = await ExpectedLinesAsync(Path.Combine(_root, result.Stages[0].OutputPaths["trials"]));
        Assert.That(lines, Has.Count.EqualTo(8));
        for (int i = 0; i < 8; i++)
        {
            if (i < 6) Assert.That(lines[i], Does.StartWith(expected[i] + " Restored from cache (fingerprint ").And.EndWith("…)."), lines[i]);
            else Assert.That(lines[i], Is.EqualTo(expected[i]), "computed, not restored");
        }

        Assert.That(observer.Lines.Count(l => l.StartsWith("Device auto", StringComparison.Ordinal)), Is.EqualTo(1), "said by the first trial that runs");
    }

    [Test]
    public async Task A_one_parameter_search_report_explains_the_missing_charts_and_its_edf_holds_the_sorted_values()
    {
        var definition = Load(8);
        definition.Stages[0].With["search_space"] = JsonNode.Parse("{\"x\": {\"float\": [-5, 5]}}");
        var result = await _runner.RunAsync(definition);
        Assert.That(result.Succeeded, Is.True, result.Stages[0].Error);

        string reportDir = Path.Combine(_root, result.Stages[0].OutputPaths["report"]);
        string html = await File.ReadAllTextAsync(Path.Combine(reportDir, "report.html"));
        foreach (string id in new[] { "history", "edf", "rank", "timeline" })
            Assert.That(html, Does.Contain($"<div id=\"chart-{id}\" class=\"chart\">"), id);
        Assert.That(html, Does.Contain("importance and contour need at least two parameters; this study searches one (x)."));
        Assert.That(html, Does.Contain("trial durations are in the run log."), "no wall-clock times in the cached report");
        Assert.That(html, Does.Contain(Core.Reporting.HtmlReport.StyleSheet), "the page style of the other reports");

        var table = await ParquetTableReader.ReadFileAsync(Path.Combine(_root, result.Stages[0].OutputPaths["trials"]));
        var values = ((double?[])table.Columns[table.Schema.Columns.ToList().FindIndex(c => c.Name == "value")]).Select(v => v!.Value).Order().ToList();
        var report = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(reportDir, "report.json")))!;
        Assert.That(report["charts"]!["edf"]!["data"]![0]!["x"]!.AsArray().Select(v => v!.GetValue<double>()), Is.EqualTo(values));
    }

    [Test]
    public async Task Two_workspaces_on_one_postgres_study_share_its_trials_and_the_storage_is_not_in_the_fingerprint()
    {
        string url = Pipelines.Tuning.Tests.Storage.LocalPostgres.Instance.NewSchemaUrl();
        var first = await _runner.RunAsync(Load(4, storage: url));
        Assert.That(first.Succeeded, Is.True, first.Stages[0].Error);
        Assert.That(first.Stages[0].Summary["trials"]!.GetValue<int>(), Is.EqualTo(4));

        // A second driver (another workspace, as on another machine) adds its trials to the same study.
        await RunElsewhereAsync(async (root, second) =>
        {
            Assert.That(second.Succeeded, Is.True, second.Stages[0].Error);
            Assert.That(second.Stages[0].Summary["trials"]!.GetValue<int>(), Is.EqualTo(8), "its own 4 after the first driver's 4");
            var trials = await ParquetTableReader.ReadFileAsync(Path.Combine(root, second.Stages[0].OutputPaths["trials"]));
            Assert.That((long?[])trials.Columns[trials.Schema.Columns.ToList().FindIndex(c => c.Name == "number")], Is.EqualTo(Enumerable.Range(0, 8).Select(n => (long?)n)));
        });

        var elsewhere = await _runner.RunAsync(Load(4, storage: Pipelines.Tuning.Tests.Storage.LocalPostgres.Instance.NewSchemaUrl()));
        Assert.That(elsewhere.Stages[0].Status, Is.EqualTo(StageStatus.Cached), "another storage is the same search: restored from the cache");
        Assert.That(await _runner.RunAsync(Load(4)), Has.Property("Succeeded").True);
    }

    [Test]
    public void A_storage_that_is_not_a_postgres_url_is_reported_before_anything_runs()
    {
        var ex = Assert.ThrowsAsync<PipelineValidationException>(() => _runner.RunAsync(Load(4, storage: "studies.db")));
        Assert.That(ex!.Message, Does.Contain("stage 'search': 'storage' must be a postgresql://user@host:port/database URL, but got 'studies.db'."));
    }
}
