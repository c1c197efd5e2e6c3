using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Caching;

namespace Pipelines.Cli.Tests;

/// <summary>The README's first command, driven through the real executable on the shipped data.</summary>
[NonParallelizable]
public class QuickstartEndToEndTests
{
    private string _root = null!;

    [OneTimeSetUp]
    public void CopyExample() => _root = CliProcess.CopyQuickstart();

    [OneTimeTearDown]
    public void Remove()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private Dictionary<string, (string Status, string Reason)> Run(params string[] extra)
    {
        var (code, stdout, stderr) = CliProcess.Run(_root, ["run", "pipelines/quickstart.yaml", .. extra]);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        var log = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, ".pipelines/runs/latest.json")))!;
        return log["stages"]!.AsArray().ToDictionary(s => s!["id"]!.GetValue<string>(), s => (s!["status"]!.GetValue<string>(), s["reason"]!.GetValue<string>()));
    }

    [Test, Order(1)]
    public void The_first_run_computes_every_stage_and_materialises_the_splits()
    {
        var stages = Run();
        Assert.That(stages.Values.Select(s => s.Status), Is.All.EqualTo("ran"));
        foreach (var part in new[] { "train", "validation", "test" })
            Assert.That(File.Exists(Path.Combine(_root, $".pipelines/out/quickstart/split/{part}.parquet")), Is.True);
        Assert.That(File.ReadAllText(Path.Combine(_root, "pipelines.lock")), Does.Contain("quickstart:"));
    }

    [Test, Order(2)]
    public void The_second_run_restores_every_stage_and_runs_none()
    {
        Assert.That(Run().Values, Is.All.EqualTo(("cached", "unchanged")));
    }

    [Test, Order(3)]
    public void Changing_a_split_param_reruns_split_only()
    {
        var stages = Run("--set", "split.train=0.7", "--set", "split.test=0.2");
        Assert.That(stages["split"], Is.EqualTo(("ran", "params changed: test, train")));
        Assert.That(stages["ingest"].Status, Is.EqualTo("cached"));
        Assert.That(stages["validate"].Status, Is.EqualTo("cached"));
    }

    [Test, Order(4)]
    public void Reverting_the_param_restores_split_from_the_run_cache_without_running()
    {
        Assert.That(Run()["split"], Is.EqualTo(("cached", "restored from run cache")));
    }

    [Test, Order(5)]
    public void Editing_the_input_file_reruns_everything()
    {
        string data = Path.Combine(_root, "pipelines/data/adult.data");
        // A new record (not a copy: dedup would drop a copy, leaving split's input unchanged).
        File.AppendAllText(data, "41, Private, 123456, Bachelors, 13, Never-married, Sales, Not-in-family, White, Female, 0, 0, 38, United-States, <=50K\n");
        var stages = Run();
        Assert.That(stages["ingest"], Is.EqualTo(("ran", "input changed: source")));
        Assert.That(stages["validate"].Status, Is.EqualTo("ran"));
        Assert.That(stages["split"].Status, Is.EqualTo("ran"));
    }

    [Test, Order(6)]
    public void Appending_an_exact_copy_of_a_record_stops_at_dedup_because_its_output_is_unchanged()
    {
        string data = Path.Combine(_root, "pipelines/data/adult.data");
        File.AppendAllText(data, File.ReadLines(data).First() + "\n");
        var stages = Run();
        Assert.That(stages["ingest"].Status, Is.EqualTo("ran"));
        Assert.That(stages["dedup"].Status, Is.EqualTo("ran"));
        Assert.That(stages["bias"], Is.EqualTo(("cached", "unchanged")), "early cutoff: dedup's output is byte-identical");
        Assert.That(stages["split"], Is.EqualTo(("cached", "unchanged")));
    }

    [Test, Order(7)]
    public void Status_and_dry_run_say_everything_is_up_to_date_and_change_nothing()
    {
        string lockBefore = File.ReadAllText(Path.Combine(_root, "pipelines.lock"));
        var (code, stdout, _) = CliProcess.Run(_root, "status", "pipelines/quickstart.yaml");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("Everything is up to date."));
        (code, stdout, _) = CliProcess.Run(_root, "run", "pipelines/quickstart.yaml", "--dry-run", "--set", "split.train=0.7", "--set", "split.test=0.2");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("params changed: test, train").And.Contain("1 of 5 stages would run."));
        Assert.That(File.ReadAllText(Path.Combine(_root, "pipelines.lock")), Is.EqualTo(lockBefore));
    }

    [Test, Order(8)]
    public void A_second_concurrent_run_fails_fast_with_a_clear_message_and_changes_nothing()
    {
        string lockBefore = File.ReadAllText(Path.Combine(_root, "pipelines.lock"));
        using (WorkspaceLock.Acquire(Path.Combine(_root, ".pipelines")))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (code, _, stderr) = CliProcess.Run(_root, "run", "pipelines/quickstart.yaml", "--force");
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stderr, Does.StartWith("error: Another run is using this workspace"));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        }
        Assert.That(File.ReadAllText(Path.Combine(_root, "pipelines.lock")), Is.EqualTo(lockBefore));
    }

    [Test, Order(9)]
    public void Cache_verify_finds_every_blob_intact_and_evicts_a_corrupted_one()
    {
        var (code, stdout, _) = CliProcess.Run(_root, "cache", "verify");
        Assert.That(code, Is.EqualTo(0), stdout);
        Assert.That(stdout, Does.Match(@"Checked \d+ blobs: 0 corrupt"));

        // Corrupt the blob behind a current output: split's training table.
        var log = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, ".pipelines/runs/latest.json")))!;
        string hash = log["stages"]!.AsArray().Single(s => s!["id"]!.GetValue<string>() == "split")!["outputs"]!["train"]!["hash"]!.GetValue<string>();
        string blob = Path.Combine(_root, ".pipelines/cache", hash[..2], hash[2..]);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(blob, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.AppendAllText(blob, "corruption");
        (code, stdout, var stderr) = CliProcess.Run(_root, "cache", "verify");
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.Contain("corrupt blob"));
        Assert.That(File.Exists(blob), Is.False);
        var stages = Run();
        Assert.That(stages["split"], Is.EqualTo(("ran", "not in cache")), "the stage whose blob was evicted is recomputed");
        Assert.That(stages["dedup"].Status, Is.EqualTo("cached"));
    }
}
