using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary>
/// <c>plots diff</c> over a tiny pipeline (80 emails: ingest, split, pretrain, tune, train; a few seconds a run) run twice
/// with one <c>--set</c> change, so the train stage reruns with more steps and the rest is restored. Every figure the
/// page charts is checked against the run logs, read here with System.Text.Json.
/// </summary>
[NonParallelizable]
public class PlotsDiffCommandTests
{
    private const string Pipeline = """
        name: tiny
        seed: 7
        params:
          steps: 6
        stages:
          ingest:
            uses: ingest
            inputs: {source: mails.jsonl}
          split:
            uses: split
            inputs: {table: ingest.table}
            with: {train: 0.7, validation: 0.3, test: 0.0, stratify_by: label}
          pretrain:
            uses: pretrain
            inputs: {corpus: split.train}
            with: {vocab_size: 300, n_embd: 16, n_layer: 1, n_head: 2, n_positions: 32, max_steps: 4, batch_size: 8, warmup_steps: 1, validation_fraction: 0.1}
          tune:
            uses: tune
            inputs: {train: split.train, validation: split.validation, base_model: pretrain.model}
            with:
              objective: train
              metric: val_loss
              direction: minimize
              n_trials: 3
              fixed: {task: classification, max_length: 32, batch_size: 8, max_steps: 2, eval_every: 2}
              search_space:
                learning_rate: {float: [1.0e-3, 1.0e-2], log: true}
          # The other direction, only so the page's best-so-far line is checked both ways (a running max here).
          tune_max:
            uses: tune
            inputs: {train: split.train, validation: split.validation, base_model: pretrain.model}
            with:
              objective: train
              metric: val_loss
              direction: maximize
              n_trials: 3
              fixed: {task: classification, max_length: 32, batch_size: 8, max_steps: 2, eval_every: 2}
              search_space:
                learning_rate: {float: [1.0e-3, 1.0e-2], log: true}
          train:
            uses: train
            inputs: {train: split.train, validation: split.validation, base_model: pretrain.model}
            with_from: tune.best_params
            with: {task: classification, max_length: 32, batch_size: 8, max_steps: "${params.steps}", eval_every: 2}
        """;

    private string _root = null!;
    private string[] _runIds = null!;

    [OneTimeSetUp]
    public void RunTwiceAndPlot()
    {
        _root = Path.Combine(Path.GetTempPath(), "pipelines-cli-plots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        // 40 spam and 40 ham emails from the shipped slice: enough for a stratified split and a few training steps.
        var lines = File.ReadLines(Path.Combine(CliProcess.RepoRoot, "pipelines/data/spam.jsonl")).ToArray();
        string Label(string line) => JsonNode.Parse(line)!["label"]!.GetValue<string>();
        File.WriteAllLines(Path.Combine(_root, "mails.jsonl"), [.. lines.Where(l => Label(l) == "spam").Take(40), .. lines.Where(l => Label(l) == "ham").Take(40)]);
        File.WriteAllText(Path.Combine(_root, "tiny.yaml"), Pipeline);
        foreach (string[] extra in new string[][] { [], ["--set", "steps=8"] })
        {
            var (code, stdout, stderr) = CliProcess.Run(_root, ["run", "tiny.yaml", .. extra]);
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
        }
        _runIds = Directory.GetFiles(Path.Combine(_root, ".pipelines/runs"), "2*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToArray();
        Assert.That(_runIds, Has.Length.EqualTo(2));
    }

    [OneTimeTearDown]
    public void TearDown()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private JsonElement Log(string runId) => JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, ".pipelines/runs", runId + ".json"))).RootElement;

    private static JsonElement Stage(JsonElement log, string id) => log.GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);

    private string Page(string root, params string[] args)
    {
        var (code, stdout, stderr) = CliProcess.Run(root, ["plots", "diff", .. args]);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        Assert.That(stdout, Does.StartWith("Wrote "));
        return File.ReadAllText(stdout["Wrote ".Length..stdout.IndexOf(" (", StringComparison.Ordinal)]);
    }

    [Test]
    public void The_page_names_both_runs_and_charts_each_metric_with_the_values_of_the_run_logs()
    {
        string html = Page(_root);
        Assert.That(File.Exists(Path.Combine(_root, ".pipelines/plots/diff.html")), Is.True, "the default page");
        Assert.That(html, Does.Contain(_runIds[0]).And.Contain(_runIds[1]));
        Assert.That(html, Does.Contain("<script>").And.Not.Contain("<script src="), "plotly.js is inlined: the page opens offline");
        var charts = PlotlyCharts.Parse(html);
        int metrics = 0;
        foreach (var runId in _runIds)
        {
            foreach (var stage in Log(runId).GetProperty("stages").EnumerateArray())
            {
                foreach (var metric in stage.GetProperty("metrics").EnumerateObject())
                {
                    string name = stage.GetProperty("id").GetString() + "." + metric.Name;
                    string direction = metric.Value.GetProperty("direction").GetString() switch { "higher" => "higher is better", "lower" => "lower is better", _ => "no better direction" };
                    var chart = charts.Single(c => c.Title == $"{name} ({direction})");
                    var bar = chart.Trace(runId);
                    Assert.That(bar.GetProperty("y")[0].GetDouble(), Is.EqualTo(metric.Value.GetProperty("value").GetDouble()), $"{name} of {runId}");
                    metrics++;
                }
            }
        }
        Assert.That(metrics, Is.EqualTo(12), "pretrain.val_loss, tune.best_value, tune_max.best_value and train's final_loss, val_loss, val_accuracy, in both runs");
    }

    [Test]
    public void The_table_lists_the_changed_param_for_each_run()
    {
        string html = Page(_root);
        Assert.That(html, Does.Contain("<th>params.steps</th>").And.Contain("<th>train.max_steps</th>"));
        Assert.That(html, Does.Contain($"<tr><td>{_runIds[0]}</td><td>6</td><td>6</td>").And.Contain($"<tr><td>{_runIds[1]}</td><td>8</td><td>8</td>"));
        Assert.That(html, Does.Not.Contain("<th>train.batch_size</th>"), "a param both runs share is not a column");
    }

    [TestCase("pretrain")]
    [TestCase("train")]
    public void Each_runs_loss_curve_has_one_point_per_logged_step_and_validation_at_each_evaluation(string stageId)
    {
        string html = Page(_root);
        var chart = PlotlyCharts.Parse(html).Single(c => c.Title.StartsWith(stageId + ": training loss", StringComparison.Ordinal));
        // The second run restored pretrain (same hash) and reran train (steps changed): only the first is one artifact.
        string coincide = $"Run {_runIds[1]}&#39;s {stageId} is the same artifact as run {_runIds[0]}&#39;s";
        Assert.That(html, stageId == "pretrain" ? Does.Contain(coincide) : Does.Not.Contain(coincide));
        foreach (var runId in _runIds)
        {
            var stage = Stage(Log(runId), stageId);
            int steps = stage.GetProperty("summary").GetProperty("steps").GetInt32();
            var train = chart.Trace(runId + " train");
            Assert.That(train.GetProperty("x").EnumerateArray().Select(x => x.GetInt32()), Is.EqualTo(Enumerable.Range(1, steps)), $"{stageId} of {runId}");
            Assert.That(train.GetProperty("y").GetArrayLength(), Is.EqualTo(steps));
            if (stageId == "train")
            {
                // eval_every 2: a validation loss at steps 2, 4, ... up to the last.
                int every = stage.GetProperty("options").GetProperty("eval_every").GetInt32();
                var expected = Enumerable.Range(1, steps / every).Select(i => i * every);
                Assert.That(chart.Trace(runId + " validation").GetProperty("x").EnumerateArray().Select(x => x.GetInt32()), Is.EqualTo(expected));
            }
        }
        Assert.That(Stage(Log(_runIds[1]), "train").GetProperty("summary").GetProperty("steps").GetInt32(), Is.EqualTo(8), "the --set took effect");
    }

    [TestCase("tune")]
    [TestCase("tune_max")]
    public void The_search_history_has_each_completed_trial_and_a_best_so_far_line_ending_at_the_best_value(string stageId)
    {
        var chart = PlotlyCharts.Parse(Page(_root)).Single(c => c.Title.StartsWith(stageId + ": each trial's value", StringComparison.Ordinal));
        foreach (var runId in _runIds)
        {
            var tune = Stage(Log(runId), stageId);
            bool maximize = tune.GetProperty("options").GetProperty("direction").GetString() == "maximize";
            var values = chart.Trace(runId + " trial value").GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.That(values, Has.Length.EqualTo(tune.GetProperty("summary").GetProperty("complete").GetInt32()));
            var best = chart.Trace(runId + " best so far").GetProperty("y").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.That(best, Has.Length.EqualTo(tune.GetProperty("summary").GetProperty("trials").GetInt32()));
            // Best so far is the running minimum (maximum when maximizing), by hand from the trial values.
            Assert.That(best, Is.EqualTo(values.Select((_, i) => maximize ? values.Take(i + 1).Max() : values.Take(i + 1).Min())));
            Assert.That(best[^1], Is.EqualTo(tune.GetProperty("metrics").GetProperty("best_value").GetProperty("value").GetDouble()));
        }
    }

    [Test]
    public void A_curve_whose_artifact_is_gone_from_the_cache_is_named_on_the_page()
    {
        string copy = _root + "-gc";
        CopyDirectory(_root, copy);
        try
        {
            // The lock points at the newest run, so gc with no runs kept drops the first run's train metrics.
            var (code, stdout, stderr) = CliProcess.Run(copy, "cache", "gc", "--keep-runs", "0");
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            string html = Page(copy, _runIds[0], _runIds[1], "-o", "out/gone.html");
            Assert.That(File.Exists(Path.Combine(copy, "out/gone.html")), Is.True);
            Assert.That(html, Does.Contain($"Run {_runIds[0]}: no curve, its train.metrics ("));
            Assert.That(html, Does.Contain("is no longer in the cache"));
            var chart = PlotlyCharts.Parse(html).Single(c => c.Title.StartsWith("train: training loss", StringComparison.Ordinal));
            Assert.That(chart.Names, Is.EqualTo(new[] { _runIds[1] + " train", _runIds[1] + " validation" }), "the run whose curve survives is still drawn");
        }
        finally
        {
            try { Directory.Delete(copy, true); } catch (IOException) { }
        }
    }

    [Test]
    public void A_pipeline_without_training_or_search_says_so_instead_of_drawing_empty_charts()
    {
        string root = Path.Combine(Path.GetTempPath(), "pipelines-cli-plots", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, "d.csv"), "a\n1\n1\n2\n");
            File.WriteAllText(Path.Combine(root, "p.yaml"), "name: flat\nstages:\n  ingest:\n    uses: ingest\n    inputs: {source: d.csv}\n");
            Assert.That(CliProcess.Run(root, "run", "p.yaml").ExitCode, Is.EqualTo(0));
            Assert.That(CliProcess.Run(root, "run", "p.yaml", "--force", "ingest").ExitCode, Is.EqualTo(0));
            string html = Page(root);
            Assert.That(html, Does.Contain("None of these runs declared a metric"));
            Assert.That(html, Does.Contain("None of these runs has a train or pretrain stage"));
            Assert.That(html, Does.Contain("None of these runs has a tune stage"));
            Assert.That(PlotlyCharts.Parse(html), Is.Empty);
        }
        finally
        {
            try { Directory.Delete(root, true); } catch (IOException) { }
        }
    }

    [Test]
    public void An_unknown_run_exits_2_naming_the_runs_and_the_closest()
    {
        var (code, _, stderr) = CliProcess.Run(_root, "plots", "diff", "nope");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("no run 'nope'. Expected a run id from `pipelines runs`").And.Not.Contain("   at "));

        string typo = _runIds[0][..^1] + (_runIds[0][^1] == 'x' ? 'y' : 'x');
        (code, _, stderr) = CliProcess.Run(_root, "plots", "diff", typo, _runIds[1]);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain($"Did you mean '{_runIds[0]}'?"));
    }

    [Test]
    public void An_output_outside_the_workspace_exits_2_and_writes_nothing()
    {
        string outside = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + ".html");
        var (code, _, stderr) = CliProcess.Run(_root, "plots", "diff", "-o", outside);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("the page must be written inside the workspace"));
        Assert.That(File.Exists(outside), Is.False);
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
