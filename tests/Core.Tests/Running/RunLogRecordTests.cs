using NUnit.Framework;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Running;

/// <summary>The run log records what a run ran with (params, overrides, options) and what it scored (declared metrics).</summary>
public class RunLogRecordTests
{
    private const string Pipeline = """
        name: scored
        params:
          rows: 4
        stages:
          source:
            uses: source
            with:
              rows: ${params.rows}
              text: hi
          score:
            uses: score-test
            inputs: {table: source.table}
            with: {bonus: 0.5}
        """;

    private TestWorkspace _ws = null!;

    [SetUp]
    public void SetUp()
    {
        _ws = new TestWorkspace();
        _ws.Registry.Add(new ScoreStage());
    }

    [TearDown]
    public void TearDown() => _ws.Dispose();

    private static JsonNode Stage(JsonNode log, string id) => log["stages"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == id)!;

    [Test]
    public async Task The_run_log_holds_the_resolved_params_the_overrides_and_each_stages_bound_options()
    {
        var result = await _ws.RunAsync(_ws.Load(Pipeline, new PipelineOverrides { Sets = ["rows=6", "score.bonus=1.5"] }));
        var log = JsonNode.Parse(File.ReadAllText(result.LogPath))!;

        Assert.That(log["params"]!["rows"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(log["overrides"]!["set"]!.AsArray().Select(s => s!.GetValue<string>()), Is.EqualTo(new[] { "rows=6", "score.bonus=1.5" }));
        Assert.That(log["overrides"]!["params_file"], Is.Null);
        Assert.That(Stage(log, "source")["options"]!["rows"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(Stage(log, "score")["options"]!["bonus"]!.GetValue<double>(), Is.EqualTo(1.5));
    }

    [Test]
    public async Task Declared_metrics_carry_value_and_direction_and_a_restored_stage_reports_the_same_metrics()
    {
        var first = await _ws.RunAsync(_ws.Load(Pipeline));
        var second = await _ws.RunAsync(_ws.Load(Pipeline));
        Assert.That(second.Stages.Single(s => s.Id == "score").Status, Is.EqualTo(StageStatus.Cached));

        foreach (var path in new[] { first.LogPath, second.LogPath })
        {
            var metrics = Stage(JsonNode.Parse(File.ReadAllText(path))!, "score")["metrics"]!;
            Assert.That(metrics["score"]!["value"]!.GetValue<double>(), Is.EqualTo(4.5), path);
            Assert.That(metrics["score"]!["direction"]!.GetValue<string>(), Is.EqualTo("higher"));
            Assert.That(metrics["rows"]!["direction"]!.GetValue<string>(), Is.EqualTo("none"));
        }
    }

    [Test]
    public async Task A_stage_that_crashes_leaves_its_log_its_error_and_the_exceptions_stack_in_the_run_log()
    {
        _ws.Registry.Add(new CrashStage());
        var result = await _ws.RunAsync(_ws.Load("""
            name: crashing
            stages:
              source: {uses: source, with: {rows: 2, text: hi}}
              crash: {uses: crash, inputs: {table: source.table}}
              told: {uses: suffix, inputs: {table: source.table}, with: {suffix: "!", fail: true}}
            """));
        var log = JsonNode.Parse(File.ReadAllText(result.LogPath))!;

        Assert.That(log["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        var crash = Stage(log, "crash");
        Assert.That(crash["status"]!.GetValue<string>(), Is.EqualTo("failed"));
        Assert.That(crash["error"]!.GetValue<string>(), Is.EqualTo("InvalidOperationException: the index went past the end"));
        Assert.That(crash["error_detail"]!.GetValue<string>(), Does.Contain("System.InvalidOperationException: the index went past the end"));
        Assert.That(log["log"]!.AsArray().Select(l => l!.GetValue<string>()), Has.Some.Contains("read the input, about to crash"));
        // A failure that says all there is (bad input here) keeps its message and no stack.
        var told = Stage(log, "told");
        Assert.That(told["error"]!.GetValue<string>(), Is.EqualTo("stage 'told' was told to fail"));
        Assert.That(told["error_detail"], Is.Null);
    }

    [Test]
    public async Task The_run_cache_entry_keeps_the_declared_metrics()
    {
        var result = await _ws.RunAsync(_ws.Load(Pipeline));
        var entry = await new LocalArtifactStore(_ws.Workspace.StateDirectory).GetRunCacheEntryAsync(result.Stages.Single(s => s.Id == "score").Fingerprint!);
        Assert.That(entry!.Metrics!.Select(m => (m.Name, m.Value, m.Direction)),
            Is.EqualTo(new[] { ("rows", 4.0, MetricDirection.None), ("score", 4.5, MetricDirection.Higher) }));
    }
}

/// <summary>Options of <see cref="ScoreStage"/>.</summary>
public sealed class ScoreOptions
{
    /// <summary>Added to the row count to make the score.</summary>
    public double Bonus { get; set; }
}

/// <summary>Declares two metrics from its input: the row count (no direction) and a score (higher is better).</summary>
public sealed class ScoreStage : Stage<ScoreOptions>
{
    public override string Kind => "score-test";
    public override IReadOnlyList<StagePort> Inputs => [new("table", ArtifactKind.Table)];
    public override IReadOnlyList<StagePort> Outputs => [new("table", ArtifactKind.Table)];

    protected override async Task RunAsync(StageContext context, ScoreOptions options, CancellationToken cancellationToken)
    {
        File.Copy(context.InputPath("table"), context.OutputPath("table"));
        await using var table = await context.OpenTableAsync("table", cancellationToken);
        context.DeclareMetric("rows", table.RowCount, MetricDirection.None);
        context.DeclareMetric("score", table.RowCount + options.Bonus, MetricDirection.Higher);
    }
}
