using System.Diagnostics;
using NUnit.Framework;
using Pipelines.Core.Hashing;

namespace Pipelines.Cli.Tests;

/// <summary>Runs killed with SIGKILL at random moments leave a workspace that the next run completes, bit-identically.</summary>
[NonParallelizable]
public class ReliabilityTests
{
    private static readonly string[] FinalOutputs = [".pipelines/out/quickstart/split/train.parquet", ".pipelines/out/quickstart/split/validation.parquet", ".pipelines/out/quickstart/split/test.parquet", ".pipelines/out/quickstart/bias/metrics.parquet"];

    private static string SmallQuickstart()
    {
        string root = CliProcess.CopyQuickstart();
        string data = Path.Combine(root, "pipelines/data/adult.data");
        File.WriteAllLines(data, File.ReadLines(data).Take(4000).ToArray());
        return root;
    }

    private static Dictionary<string, string> Hashes(string root) =>
        FinalOutputs.ToDictionary(o => o, o => ContentHasher.HashFileAsync(Path.Combine(root, o)).Result);

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

    private static TimeSpan MeasureFullRun(string workspace)
    {
        var clock = Stopwatch.StartNew();
        var (code, _, _) = CliProcess.Run(workspace, "run", "pipelines/quickstart.yaml");
        Assert.That(code, Is.EqualTo(0));
        return clock.Elapsed;
    }

    private static void KillAfter(string workspace, TimeSpan delay, string[] extra) =>
        Kill(workspace, delay, ["run", "pipelines/quickstart.yaml", .. extra]);

    /// <summary>Runs the CLI with <paramref name="args"/> and SIGKILLs it after <paramref name="delay"/> unless it ended first.</summary>
    private static void Kill(string workspace, TimeSpan delay, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workspace, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliProcess.Executable }.Concat(args)) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(delay)) process.Kill(entireProcessTree: true); // SIGKILL on Unix
        process.WaitForExit();
    }
}
