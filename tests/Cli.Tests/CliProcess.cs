using System.Diagnostics;
using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary>Runs the real <c>pipelines</c> executable from the test's build output, as a user would.</summary>
public static class CliProcess
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Executable => Path.Combine(TestContext.CurrentContext.TestDirectory, "pipelines.dll");

    public static (int ExitCode, string Stdout, string Stderr) Run(string workingDirectory, params string[] args)
    {
        using var process = Process.Start(StartInfo(workingDirectory, args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); Assert.Fail("the CLI did not finish in 5 minutes"); }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>
    /// Runs the executable with its managed heap capped at <paramref name="heapLimitBytes"/> and a wall-clock limit,
    /// sampling its peak resident memory (VmHWM) while it runs. A run past the limit is killed and reported as such.
    /// </summary>
    public static (int ExitCode, string Output, TimeSpan Elapsed, long PeakBytes, bool TimedOut) RunBounded(string workingDirectory, TimeSpan limit, long heapLimitBytes, params string[] args)
    {
        var start = StartInfo(workingDirectory, args);
        start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + heapLimitBytes.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long peak = 0;
        bool timedOut = false;
        while (!process.WaitForExit(25))
        {
            peak = Math.Max(peak, PeakResidentBytes(process.Id));
            if (clock.Elapsed > limit) { process.Kill(true); timedOut = true; process.WaitForExit(); break; }
        }
        return (process.ExitCode, stdout.Result + stderr.Result, clock.Elapsed, peak, timedOut);
    }

    /// <summary>
    /// Runs the executable and SIGKILLs it <paramref name="delay"/> after <paramref name="armed"/> (given the standard
    /// output so far, polled every millisecond) first holds. Returns whether it was killed rather than ending first.
    /// </summary>
    public static bool RunAndKill(string workingDirectory, string[] args, TimeSpan delay, Func<string, bool> armed)
    {
        using var process = new Process { StartInfo = StartInfo(workingDirectory, args) };
        var stdout = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, _) => { };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!process.WaitForExit(1))
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(5)) { process.Kill(true); Assert.Fail("the CLI did not finish in 5 minutes"); }
            string soFar;
            lock (stdout) soFar = stdout.ToString();
            if (!armed(soFar)) continue;
            if (process.WaitForExit(delay)) break;
            process.Kill(entireProcessTree: true); // SIGKILL on Unix
            process.WaitForExit();
            return true;
        }
        return false;
    }

    private static ProcessStartInfo StartInfo(string workingDirectory, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Executable);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        return start;
    }

    private static long PeakResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    /// <summary>Copies the quickstart example (pipeline, data, schema) into a fresh workspace; returns its root.</summary>
    public static string CopyQuickstart()
    {
        string root = Path.Combine(Path.GetTempPath(), "pipelines-cli-tests", Guid.NewGuid().ToString("N"));
        foreach (var relative in new[] { "pipelines/quickstart.yaml", "pipelines/data/adult.data", "data-schemas/adult.yaml" })
        {
            string target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(RepoRoot, relative), target);
        }
        return root;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipelines.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pipelines.sln not found above the test directory.");
    }
}
