using NUnit.Framework;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tables;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Running;

public class PipelineRunnerTests
{
    private TestWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new TestWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    private static Dictionary<string, StageStatus> Statuses(RunResult r) => r.Stages.ToDictionary(s => s.Id, s => s.Status);

    [Test]
    public async Task First_run_computes_every_stage_and_a_second_run_restores_every_stage()
    {
        var first = await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        Assert.That(first.Status, Is.EqualTo("succeeded"), string.Join("; ", first.Stages.Select(s => s.Id + ": " + s.Error)));
        Assert.That(first.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Ran));
        Assert.That(ExecutionLog.Take(), Is.EqualTo(new[] { "a", "b", "c", "d", "source" }));

        var second = await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        Assert.That(second.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Cached));
        Assert.That(second.Stages.Select(s => s.Reason), Is.All.EqualTo("unchanged"));
        Assert.That(ExecutionLog.Take(), Is.Empty, "no stage may execute on a no-op rerun");
    }

    [Test]
    public async Task Changing_a_param_reruns_that_stage_and_its_descendants_only_and_says_which_key_changed()
    {
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        ExecutionLog.Take();
        var result = await _ws.RunAsync(_ws.Load(Yaml.Diamond, new PipelineOverrides { Sets = ["suffix_a=-z"] }));
        Assert.That(ExecutionLog.Take(), Is.EqualTo(new[] { "a", "b", "d" }));
        var a = result.Stages.Single(s => s.Id == "a");
        Assert.That(a.Reason, Is.EqualTo("params changed: suffix"));
        Assert.That(result.Stages.Single(s => s.Id == "b").Reason, Is.EqualTo("input changed: table"));
        Assert.That(Statuses(result)["c"], Is.EqualTo(StageStatus.Cached));
    }

    [Test]
    public async Task Reverting_a_param_restores_the_earlier_outputs_from_the_run_cache_without_running()
    {
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        var original = await File.ReadAllBytesAsync(Path.Combine(_ws.Root, ".pipelines/out/diamond/b/table.parquet"));
        await _ws.RunAsync(_ws.Load(Yaml.Diamond, new PipelineOverrides { Sets = ["suffix_a=-z"] }));
        ExecutionLog.Take();

        var reverted = await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        Assert.That(ExecutionLog.Take(), Is.Empty);
        Assert.That(reverted.Stages.Where(s => s.Id is "a" or "b" or "d").Select(s => s.Reason), Is.All.EqualTo("restored from run cache"));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(_ws.Root, ".pipelines/out/diamond/b/table.parquet")), Is.EqualTo(original));
    }

    [Test]
    public async Task A_rerun_with_byte_identical_output_leaves_descendants_restored_early_cutoff()
    {
        const string yaml = """
            name: cutoff
            stages:
              source: {uses: source}
              a:
                uses: suffix
                with: {suffix: "${params.s}", ignore_suffix: true}
                inputs: {table: source.table}
              b:
                uses: suffix
                with: {suffix: "-b"}
                inputs: {table: a.table}
            params: {s: one}
            """;
        await _ws.RunAsync(_ws.Load(yaml));
        ExecutionLog.Take();
        var result = await _ws.RunAsync(_ws.Load(yaml, new PipelineOverrides { Sets = ["s=two"] }));
        Assert.That(ExecutionLog.Take(), Is.EqualTo(new[] { "a" }));
        Assert.That(Statuses(result)["b"], Is.EqualTo(StageStatus.Cached));
    }

    [Test]
    public async Task Editing_an_external_input_reruns_everything_downstream_of_it()
    {
        _ws.WriteFile("data/left.parquet", "");
        await WriteTableAsync("data/left.parquet", "one");
        const string yaml = """
            name: external
            stages:
              a:
                uses: suffix
                with: {suffix: "-a"}
                inputs: {table: data/left.parquet}
              b:
                uses: suffix
                with: {suffix: "-b"}
                inputs: {table: a.table}
            """;
        await _ws.RunAsync(_ws.Load(yaml));
        ExecutionLog.Take();
        await WriteTableAsync("data/left.parquet", "two");
        var result = await _ws.RunAsync(_ws.Load(yaml));
        Assert.That(ExecutionLog.Take(), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(result.Stages[0].Reason, Is.EqualTo("input changed: table"));
    }

    [Test]
    public async Task Unchanged_external_inputs_are_not_read_again_on_the_next_run()
    {
        await WriteTableAsync("data/left.parquet", "one");
        const string yaml = "name: s\nstages:\n  a:\n    uses: suffix\n    with: {suffix: x}\n    inputs: {table: data/left.parquet}\n";
        await _ws.RunAsync(_ws.Load(yaml));
        var state = ExternalInputState.Load(_ws.Workspace.StateDirectory);
        await state.HashAsync(Path.Combine(_ws.Root, "data/left.parquet"));
        Assert.That(state.FilesHashed, Is.Zero, "the state file should answer for an unchanged file");
        File.SetLastWriteTimeUtc(Path.Combine(_ws.Root, "data/left.parquet"), DateTime.UtcNow.AddMinutes(5));
        await state.HashAsync(Path.Combine(_ws.Root, "data/left.parquet"));
        Assert.That(state.FilesHashed, Is.EqualTo(1));
    }

    [Test]
    public async Task Independent_branches_run_concurrently_with_two_jobs()
    {
        const string yaml = """
            name: parallel
            stages:
              source: {uses: source}
              left:
                uses: suffix
                with: {suffix: l, delay_ms: 600}
                inputs: {table: source.table}
              right:
                uses: suffix
                with: {suffix: r, delay_ms: 600}
                inputs: {table: source.table}
            """;
        await _ws.RunAsync(_ws.Load(yaml), new RunOptions { Jobs = 2 });
        var intervals = ExecutionLog.TakeIntervals().ToDictionary(i => i.Stage);
        var (l, r) = (intervals["left"], intervals["right"]);
        Assert.That(l.Start < r.End && r.Start < l.End, Is.True, $"left {l.Start:O}-{l.End:O} and right {r.Start:O}-{r.End:O} should overlap");
    }

    [Test]
    public async Task With_one_job_branches_do_not_overlap()
    {
        const string yaml = """
            name: serial
            stages:
              source: {uses: source}
              left: {uses: suffix, with: {suffix: l, delay_ms: 200}, inputs: {table: source.table}}
              right: {uses: suffix, with: {suffix: r, delay_ms: 200}, inputs: {table: source.table}}
            """;
        await _ws.RunAsync(_ws.Load(yaml), new RunOptions { Jobs = 1 });
        var intervals = ExecutionLog.TakeIntervals().OrderBy(i => i.Start).ToArray();
        Assert.That(intervals[0].End, Is.LessThanOrEqualTo(intervals[1].Start));
    }

    [Test]
    public async Task A_failure_skips_only_its_descendants_and_the_next_run_resumes_from_it()
    {
        string yaml(bool fail) => $$$"""
            name: failing
            stages:
              source: {uses: source}
              a: {uses: suffix, with: {suffix: a, fail: {{{(fail ? "true" : "false")}}}}, inputs: {table: source.table}}
              b: {uses: suffix, with: {suffix: b}, inputs: {table: a.table}}
              c: {uses: suffix, with: {suffix: c}, inputs: {table: source.table}}
            """;
        var failed = await _ws.RunAsync(_ws.Load(yaml(true)));
        Assert.That(failed.Status, Is.EqualTo("failed"));
        var s = Statuses(failed);
        Assert.That((s["source"], s["a"], s["b"], s["c"]), Is.EqualTo((StageStatus.Ran, StageStatus.Failed, StageStatus.Skipped, StageStatus.Ran)));
        Assert.That(failed.Stages.Single(x => x.Id == "a").Error, Does.Contain("was told to fail"));
        Assert.That(failed.Stages.Single(x => x.Id == "b").Reason, Is.EqualTo("upstream failed: a"));
        ExecutionLog.Take();

        var resumed = await _ws.RunAsync(_ws.Load(yaml(false)));
        Assert.That(resumed.Status, Is.EqualTo("succeeded"));
        Assert.That(ExecutionLog.Take(), Is.EqualTo(new[] { "a", "b" }), "source and c stay cached");
    }

    [Test]
    public async Task Cancelling_a_run_stores_nothing_for_the_cancelled_stage_and_the_next_run_completes()
    {
        const string yaml = """
            name: cancel
            stages:
              source: {uses: source}
              slow: {uses: suffix, with: {suffix: s, delay_ms: 5000}, inputs: {table: source.table}}
            """;
        using var cts = new CancellationTokenSource();
        var observer = new CancelWhenStarted("slow", cts);
        var result = await _ws.Runner.RunAsync(_ws.Load(yaml), null, observer, cts.Token);
        Assert.That(result.Status, Is.EqualTo("cancelled"));
        Assert.That(Statuses(result)["slow"], Is.EqualTo(StageStatus.Failed));
        Assert.That(Directory.GetFiles(Path.Combine(_ws.Root, ".pipelines/runs-cache")), Has.Length.EqualTo(1), "only source's entry");
        Assert.That(Directory.GetFileSystemEntries(Path.Combine(_ws.Root, ".pipelines/tmp")), Is.Empty, "scratch is cleaned");

        var again = await _ws.RunAsync(_ws.Load(yaml.Replace("5000", "1")));
        Assert.That(again.Status, Is.EqualTo("succeeded"));
        Assert.That(Statuses(again)["source"], Is.EqualTo(StageStatus.Cached));
    }

    [Test]
    public async Task Force_of_one_stage_reruns_it_while_unchanged_descendants_are_restored()
    {
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        ExecutionLog.Take();
        var result = await _ws.RunAsync(_ws.Load(Yaml.Diamond), new RunOptions { ForceStages = ["a"] });
        Assert.That(ExecutionLog.Take(), Is.EqualTo(new[] { "a" }));
        Assert.That(result.Stages.Single(s => s.Id == "a").Reason, Is.EqualTo("forced"));
        Assert.That(Statuses(result)["b"], Is.EqualTo(StageStatus.Cached));
    }

    [Test]
    public void Forcing_an_unknown_stage_is_a_user_error_with_a_suggestion()
    {
        var ex = Assert.ThrowsAsync<UserInputException>(() => _ws.RunAsync(_ws.Load(Yaml.Diamond), new RunOptions { ForceStages = ["sourse"] }));
        Assert.That(ex!.Message, Is.EqualTo("--force sourse: the pipeline has no stage 'sourse'. Did you mean 'source'?"));
    }

    [Test]
    public async Task A_second_concurrent_run_fails_at_once_with_a_clear_message()
    {
        using var held = WorkspaceLock.Acquire(_ws.Workspace.StateDirectory);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var ex = Assert.ThrowsAsync<WorkspaceBusyException>(() => _ws.RunAsync(_ws.Load(Yaml.Diamond)));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(2)));
        Assert.That(ex!.Message, Does.StartWith("Another run is using this workspace"));
        Assert.That(File.Exists(Path.Combine(_ws.Root, "pipelines.lock")), Is.False, "nothing was written");
        await Task.CompletedTask;
    }

    [Test]
    public async Task The_run_log_follows_the_documented_contract()
    {
        var result = await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        var log = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_ws.Root, ".pipelines/runs", result.RunId + ".json")))!.AsObject();
        Assert.That(log["run_id"]!.GetValue<string>(), Is.EqualTo(result.RunId));
        Assert.That(log["pipeline"]!.GetValue<string>(), Is.EqualTo("diamond"));
        Assert.That(log["status"]!.GetValue<string>(), Is.EqualTo("succeeded"));
        Assert.That(DateTime.Parse(log["finished"]!.GetValue<string>()), Is.GreaterThanOrEqualTo(DateTime.Parse(log["started"]!.GetValue<string>())));
        var stages = log["stages"]!.AsArray();
        Assert.That(stages.Select(s => s!["id"]!.GetValue<string>()), Is.EquivalentTo(new[] { "source", "a", "b", "c", "d" }));
        foreach (var stage in stages)
        {
            Assert.That(stage!["status"]!.GetValue<string>(), Is.EqualTo("ran"));
            Assert.That(stage["reason"]!.GetValue<string>(), Is.EqualTo("new"));
            Assert.That(stage["fingerprint"]!.GetValue<string>(), Has.Length.EqualTo(32));
            Assert.That(stage["seconds"]!.GetValue<double>(), Is.GreaterThanOrEqualTo(0));
        }
        var env = log["environment"]!.AsObject();
        Assert.That(env["cpu_count"]!.GetValue<int>(), Is.EqualTo(Environment.ProcessorCount));
        Assert.That(env["dotnet"]!.GetValue<string>(), Does.Contain(".NET"));
        Assert.That(File.ReadAllText(Path.Combine(_ws.Root, ".pipelines/runs/latest.json")), Is.EqualTo(File.ReadAllText(result.LogPath)));
    }

    [Test]
    public async Task Outputs_are_materialised_at_the_documented_paths_and_equal_their_cache_blobs()
    {
        var result = await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        string table = Path.Combine(_ws.Root, ".pipelines/out/diamond/d/table.parquet");
        string report = Path.Combine(_ws.Root, ".pipelines/out/diamond/d/report/report.json");
        Assert.That(File.Exists(table) && File.Exists(report), Is.True);
        var d = result.Stages.Single(s => s.Id == "d");
        Assert.That(await Hashing.ContentHasher.HashFileAsync(table), Is.EqualTo(d.Outputs["table"]));
        var rows = await ParquetTableReader.ReadFileAsync(table);
        Assert.That(rows.StringColumn("text"), Is.EqualTo(new[] { "hello-a", "hello-a", "hello-a", "hello-a", "hello-c", "hello-c", "hello-c", "hello-c" }));
    }

    [Test]
    public async Task The_lock_file_records_fingerprints_params_and_hashes_and_is_stable_across_noop_runs()
    {
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        string lockText = await File.ReadAllTextAsync(_ws.Workspace.LockFilePath);
        Assert.That(lockText, Does.Contain("diamond:"));
        var locked = LockFile.Load(_ws.Workspace.LockFilePath).Stages("diamond");
        Assert.That(locked["a"].Params["suffix"], Is.EqualTo("-a"));
        Assert.That(locked["a"].Inputs["table"].Reference, Is.EqualTo("source.table"));
        Assert.That(locked["a"].Inputs["table"].Hash, Is.EqualTo(locked["source"].Outputs["table"].Hash));
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        Assert.That(await File.ReadAllTextAsync(_ws.Workspace.LockFilePath), Is.EqualTo(lockText));
    }

    [Test]
    public async Task Status_says_what_would_run_and_why_without_running_anything()
    {
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        ExecutionLog.Take();
        var status = await _ws.Runner.StatusAsync(_ws.Load(Yaml.Diamond, new PipelineOverrides { Sets = ["c.suffix=-q"] }));
        Assert.That(ExecutionLog.Take(), Is.Empty);
        var byId = status.ToDictionary(s => s.StageId);
        Assert.That(byId["source"].WillRun, Is.False);
        Assert.That(byId["source"].Reason, Is.EqualTo("up to date"));
        Assert.That(byId["c"].Reason, Is.EqualTo("params changed: suffix"));
        Assert.That(byId["d"].Reason, Is.EqualTo("upstream will run: c"));
    }

    [Test]
    public async Task Bumping_a_stage_version_changes_its_fingerprint_and_reruns_it()
    {
        await _ws.RunAsync(_ws.Load(Yaml.Diamond));
        ExecutionLog.Take();
        var registry = new StageRegistry().AddRange([new SourceStage(), new BumpedSuffixStage(), new ConcatStage()]);
        var runner = new PipelineRunner(_ws.Workspace, registry);
        var result = await runner.RunAsync(_ws.Load(Yaml.Diamond));
        Assert.That(result.Stages.Single(s => s.Id == "a").Reason, Is.EqualTo("version changed"));
        Assert.That(ExecutionLog.Take(), Is.EqualTo(new[] { "a", "b", "c" }), "d's inputs are byte-identical, so it is restored");
    }

    private sealed class BumpedSuffixStage : Stage<SuffixOptions>
    {
        private readonly SuffixStage _inner = new();
        public override string Kind => "suffix";
        public override string Version => "2";
        public override IReadOnlyList<StagePort> Inputs => _inner.Inputs;
        public override IReadOnlyList<StagePort> Outputs => _inner.Outputs;
        protected override Task RunAsync(StageContext context, SuffixOptions options, CancellationToken cancellationToken) =>
            _inner.RunAsync(context, cancellationToken);
    }

    private sealed class CancelWhenStarted(string stageId, CancellationTokenSource cts) : IRunObserver
    {
        public void OnEvent(RunEvent runEvent)
        {
            if (runEvent is StageStarted started && started.StageId == stageId) cts.CancelAfter(100);
        }
    }

    private async Task WriteTableAsync(string relative, string text)
    {
        var schema = new TableSchema([new ColumnSchema("id", ColumnType.Int64), new ColumnSchema("text", ColumnType.String)]);
        string path = Path.Combine(_ws.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await ParquetTableWriter.WriteFileAsync(path, new TableBatch(schema, 1, [new long?[] { 1 }, new string?[] { text }]));
    }
}
