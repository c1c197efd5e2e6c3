using System.Diagnostics;
using System.Text.RegularExpressions;
using NUnit.Framework;
using Pipelines.Core.Hashing;

namespace Pipelines.Cli.Tests;

/// <summary>Runs killed with SIGKILL at random moments leave a workspace that the next run completes, bit-identically.</summary>
[NonParallelizable]
public partial class ReliabilityTests
{
    private static readonly string[] FinalOutputs = [".pipelines/out/quickstart/split/train.parquet", ".pipelines/out/quickstart/split/validation.parquet", ".pipelines/out/quickstart/split/test.parquet", ".pipelines/out/quickstart/bias/metrics.parquet"];

    private static string SmallQuickstart() => TrimmedQuickstart(4000);

    /// <summary>The quickstart workspace with its census file cut to the first <paramref name="rows"/> lines.</summary>
    private static string TrimmedQuickstart(int rows)
    {
        string root = CliProcess.CopyQuickstart();
        string data = Path.Combine(root, "pipelines/data/adult.data");
        File.WriteAllLines(data, File.ReadLines(data).Take(rows).ToArray());
        return root;
    }

    private static Dictionary<string, string> Hashes(string root) => HashesOf(root, FinalOutputs);

    [Test]
    public void Twenty_runs_killed_at_random_moments_each_complete_on_the_next_run_with_identical_artifacts_and_an_intact_cache()
    {
        string reference = SmallQuickstart();
        string workspace = SmallQuickstart();
        try
        {
            var (code, stdout, stderr) = CliProcess.Run(reference, "run", "pipelines/quickstart.yaml", "--jobs", "1");
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            var expected = Hashes(reference);
            var timeOfFullRun = MeasureFullRun(workspace);

            var random = new Random(20261123);
            for (int i = 0; i < 20; i++)
            {
                // Alternate a fresh start and a forced recomputation, so kills land in first runs and in reruns.
                if (i % 2 == 0) Directory.Delete(Path.Combine(workspace, ".pipelines"), recursive: true);
                var delay = TimeSpan.FromMilliseconds(random.Next(150, (int)timeOfFullRun.TotalMilliseconds));
                KillAfter(workspace, delay, i % 2 == 0 ? [] : ["--force"]);

                (code, stdout, stderr) = CliProcess.Run(workspace, "run", "pipelines/quickstart.yaml");
                Assert.That(code, Is.EqualTo(0), $"iteration {i} (killed after {delay.TotalMilliseconds} ms): {stdout}{stderr}");
                Assert.That(stderr, Does.Not.Contain("   at "));
                Assert.That(Hashes(workspace), Is.EqualTo(expected), $"iteration {i}: artifacts differ from an uninterrupted run");
            }
            (code, stdout, _) = CliProcess.Run(workspace, "cache", "verify");
            Assert.That(code, Is.EqualTo(0), stdout);
            Assert.That(stdout, Does.Contain(" 0 corrupt"));
        }
        finally
        {
            Directory.Delete(reference, true);
            Directory.Delete(workspace, true);
        }
    }

    [Test]
    public void Cache_gc_killed_at_random_moments_leaves_a_cache_that_verifies_and_a_run_that_completes_identically()
    {
        string workspace = SmallQuickstart();
        try
        {
            string[] variant = ["run", "pipelines/quickstart.yaml", "--set", "split.train=0.7", "--set", "split.test=0.2"];
            Assert.That(CliProcess.Run(workspace, "run", "pipelines/quickstart.yaml").ExitCode, Is.EqualTo(0));
            var expected = Hashes(workspace);
            var random = new Random(20261203);
            for (int i = 0; i < 6; i++)
            {
                // The variant's outputs become garbage once the lock points back at the default params.
                Assert.That(CliProcess.Run(workspace, variant).ExitCode, Is.EqualTo(0));
                Assert.That(CliProcess.Run(workspace, "run", "pipelines/quickstart.yaml").ExitCode, Is.EqualTo(0));
                var delay = TimeSpan.FromMilliseconds(random.Next(100, 600));
                Kill(workspace, delay, ["cache", "gc", "--keep-runs", "0"]);

                var (code, stdout, stderr) = CliProcess.Run(workspace, "cache", "verify");
                Assert.That(code, Is.EqualTo(0), $"iteration {i} (gc killed after {delay.TotalMilliseconds} ms): {stdout}{stderr}");
                Assert.That(stdout, Does.Contain(" 0 corrupt"));
                (code, stdout, stderr) = CliProcess.Run(workspace, "run", "pipelines/quickstart.yaml");
                Assert.That(code, Is.EqualTo(0), $"iteration {i}: {stdout}{stderr}");
                Assert.That(Hashes(workspace), Is.EqualTo(expected), $"iteration {i}: artifacts differ after a killed gc");
            }
        }
        finally
        {
            Directory.Delete(workspace, true);
        }
    }

    [Test]
    public void Runs_killed_while_placing_an_output_leave_no_temp_behind_and_the_next_run_restores_it_intact()
    {
        string workspace = ReliabilityWorkspace("model.yaml", 10);
        string[] run = ["run", "pipelines/model.yaml"];
        string[] outputs = ["models/minilm", ".pipelines/out/model/base/model"];
        try
        {
            Assert.That(CliProcess.Run(workspace, run).ExitCode, Is.EqualTo(0));
            var expected = HashesOf(workspace, outputs);
            // The user's own files beside the output look like temps but are not the tool's: they must survive.
            string[] users = ["models/.minilm.tmp", "models/minilm.backup.old", "models/.minilm.0123456789abcdef0123456789ABCDEF.tmp"];
            foreach (var file in users) File.WriteAllText(Path.Combine(workspace, file), "mine");
            var random = new Random(20261204);
            int killedWhilePlacing = 0;
            for (int i = 0; i < 8; i++)
            {
                // Missing outputs are restored from the cache; a modified one is replaced. Either way the run only places.
                if (i % 2 == 0) foreach (var o in outputs) Directory.Delete(Path.Combine(workspace, o), recursive: true);
                else File.WriteAllText(Path.Combine(workspace, "models/minilm/config.json"), "{}");
                var delay = TimeSpan.FromMilliseconds(random.Next(0, 40));
                if (CliProcess.RunAndKill(workspace, run, delay, armed: _ => PlacingAnOutput(workspace))) killedWhilePlacing++;

                var (code, stdout, stderr) = CliProcess.Run(workspace, run);
                Assert.That(code, Is.EqualTo(0), $"iteration {i} (killed {delay.TotalMilliseconds} ms into placing): {stdout}{stderr}");
                Assert.That(Leftovers(workspace), Is.Empty, $"iteration {i}: the killed run's temps survived the next run");
                Assert.That(HashesOf(workspace, outputs), Is.EqualTo(expected), $"iteration {i}: outputs differ from an uninterrupted run");
                (code, stdout, _) = CliProcess.Run(workspace, ["status", "pipelines/model.yaml"]);
                Assert.That(stdout, Does.Contain("Everything is up to date"), $"iteration {i}: {stdout}");
            }
            Assert.That(killedWhilePlacing, Is.GreaterThanOrEqualTo(4), "too few kills landed while an output was being placed");
            Assert.That(users.Select(f => File.ReadAllText(Path.Combine(workspace, f))), Is.All.EqualTo("mine"));
            var (verify, report, _) = CliProcess.Run(workspace, "cache", "verify");
            Assert.That(verify, Is.EqualTo(0), report);
            Assert.That(report, Does.Contain(" 0 corrupt"));
        }
        finally
        {
            Directory.Delete(workspace, true);
        }
    }

    [Test]
    public void Runs_killed_during_a_tune_trial_finish_the_same_search_on_the_next_run()
    {
        string reference = ReliabilityWorkspace("tune.yaml", 1500);
        string workspace = ReliabilityWorkspace("tune.yaml", 1500);
        string[] run = ["run", "pipelines/tune.yaml"];
        string[] outputs = new[] { "best_params.json", "trials.parquet", "study.db", "report" }.Select(o => ".pipelines/out/tune/tune/" + o).ToArray();
        try
        {
            var (code, stdout, stderr) = CliProcess.Run(reference, run);
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            var expected = HashesOf(reference, outputs);
            var random = new Random(20261205);
            int killedInTrial = 0;
            // Six runs, and up to four more while fewer than four kills landed: on a fast machine the search can end
            // before a late kill, which proves nothing either way.
            for (int i = 0; i < 6 || (i < 10 && killedInTrial < 4); i++)
            {
                // From nothing each time, so every trial computes (finished trials are restored from the run cache after).
                string state = Path.Combine(workspace, ".pipelines");
                if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
                var delay = TimeSpan.FromMilliseconds(random.Next(0, 1500));
                bool killed = CliProcess.RunAndKill(workspace, run, delay,
                    armed: soFar => soFar.Contains("[tune] ", StringComparison.Ordinal)); // the first trial has started
                if (killed) killedInTrial++;

                (code, stdout, stderr) = CliProcess.Run(workspace, run);
                Assert.That(code, Is.EqualTo(0), $"iteration {i} (killed {delay.TotalMilliseconds} ms into the first trial): {stdout}{stderr}");
                Assert.That(stderr, Does.Not.Contain("   at "));
                Assert.That(HashesOf(workspace, outputs), Is.EqualTo(expected), $"iteration {i}: the search's outputs differ from an uninterrupted one");
                Assert.That(Leftovers(workspace), Is.Empty, $"iteration {i}: the killed run's temps survived the next run");
            }
            Assert.That(killedInTrial, Is.GreaterThanOrEqualTo(4), "too few kills landed during the search");
            var (verify, report, _) = CliProcess.Run(workspace, "cache", "verify");
            Assert.That(verify, Is.EqualTo(0), report);
            Assert.That(report, Does.Contain(" 0 corrupt"));
        }
        finally
        {
            Directory.Delete(reference, true);
            Directory.Delete(workspace, true);
        }
    }

    private static TimeSpan MeasureFullRun(string workspace)
    {
        var clock = Stopwatch.StartNew();
        var (code, _, _) = CliProcess.Run(workspace, "run", "pipelines/quickstart.yaml");
        Assert.That(code, Is.EqualTo(0));
        return clock.Elapsed;
    }

    private static void KillAfter(string workspace, TimeSpan delay, string[] extra) =>
        Kill(workspace, delay, ["run", "pipelines/quickstart.yaml", .. extra]);

    private static void Kill(string workspace, TimeSpan delay, string[] args) => CliProcess.RunAndKill(workspace, args, delay, armed: _ => true);

    /// <summary>A workspace holding one of the pipelines in <c>Reliability/</c>, with the shipped data and schema.</summary>
    private static string ReliabilityWorkspace(string pipeline, int dataRows)
    {
        string root = TrimmedQuickstart(dataRows);
        File.Copy(Path.Combine(CliProcess.RepoRoot, "tests/Cli.Tests/Reliability", pipeline), Path.Combine(root, "pipelines", pipeline));
        return root;
    }

    private static Dictionary<string, string> HashesOf(string root, IEnumerable<string> outputs) =>
        outputs.ToDictionary(o => o, o => ContentHasher.HashPathAsync(Path.Combine(root, o)).Result);

    /// <summary>Temps (<c>.name.&lt;guid&gt;.tmp</c>) and set-aside copies (<c>name.&lt;guid&gt;.old</c>) anywhere outside the cache's own store.</summary>
    private static string[] Leftovers(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/.pipelines/cache/", StringComparison.Ordinal) && !p.Contains("/.pipelines/tmp/", StringComparison.Ordinal))
            .Where(p => ToolTemp().IsMatch(Path.GetFileName(p)))
            .Select(p => Path.GetRelativePath(root, p)).ToArray();

    [GeneratedRegex(@"^(\..+\.[0-9a-f]{32}\.tmp|.+\.[0-9a-f]{32}\.old)$")]
    private static partial Regex ToolTemp();

    private static bool PlacingAnOutput(string root) =>
        new[] { "models", ".pipelines/out/model/base" }.Select(d => Path.Combine(root, d)).Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFileSystemEntries).Any(p => ToolTemp().IsMatch(Path.GetFileName(p)));
}
