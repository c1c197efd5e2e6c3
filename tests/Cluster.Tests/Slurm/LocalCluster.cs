using System.Diagnostics;
using NUnit.Framework;
using Pipelines.Core.Slurm;

namespace Pipelines.Cluster.Tests.Slurm;

/// <summary>
/// Brings up the 2-node cluster of <c>deploy/slurm/local-cluster.sh</c> (installing Slurm and munge when they are
/// missing) in a temp state dir once for the tests in this namespace, and stops it after them.
/// </summary>
[SetUpFixture]
public sealed class LocalCluster
{
    /// <summary>Ports apart from the script's default, so a cluster someone started by hand does not clash.</summary>
    private const string Port = "17817";

    public static string StateDirectory { get; private set; } = "";

    public static string RepoRoot { get; } = FindRepoRoot();

    private static string Script => Path.Combine(RepoRoot, "deploy", "slurm", "local-cluster.sh");

    [OneTimeSetUp]
    public void Start()
    {
        StateDirectory = Path.Combine(Path.GetTempPath(), "pipelines-cluster-tests-" + Guid.NewGuid().ToString("N")[..8]);
        var (exit, output) = Shell(Script, "start", StateDirectory);
        Assert.That(exit, Is.Zero, "local-cluster.sh start failed:\n" + output);
        // The executor and the Slurm commands the tests run read the cluster from here.
        Environment.SetEnvironmentVariable("SLURM_CONF", Path.Combine(StateDirectory, "slurm.conf"));
    }

    [OneTimeTearDown]
    public void Stop()
    {
        if (StateDirectory.Length == 0) return;
        Shell(Script, "stop", StateDirectory);
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>How a job starts this build's CLI.</summary>
    public static SlurmOptions Options(TimeSpan? maxPoll = null) => new()
    {
        WorkerCommand = [Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", Path.Combine(TestContext.CurrentContext.TestDirectory, "pipelines.dll")],
        MaxPollInterval = maxPoll ?? TimeSpan.FromSeconds(1),
    };

    /// <summary>Runs a Slurm command (or any) with the cluster's SLURM_CONF; returns exit code and stdout+stderr.</summary>
    public static (int Exit, string Output) Shell(string file, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        info.Environment["PIPELINES_SLURM_PORT"] = Port;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>A field of <c>scontrol show job -o</c> (JobState, NodeList, Restarts...); null once the job is gone.</summary>
    public static string? JobField(string jobId, string field)
    {
        var (exit, output) = Shell("scontrol", "show", "job", "-o", jobId);
        if (exit != 0) return null;
        foreach (var token in output.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries))
            if (token.StartsWith(field + "=", StringComparison.Ordinal)) return token[(field.Length + 1)..];
        return null;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, polling every 50 ms, or fails the test after <paramref name="seconds"/>.</summary>
    public static void WaitFor(Func<bool> condition, string what, double seconds = 60)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed.TotalSeconds > seconds) Assert.Fail($"timed out after {seconds}s waiting for {what}");
            Thread.Sleep(50);
        }
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipelines.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pipelines.sln not found above the test directory.");
    }
}
