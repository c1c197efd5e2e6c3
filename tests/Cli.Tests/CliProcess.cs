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
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Executable);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) { process.Kill(true); Assert.Fail("the CLI did not finish in 5 minutes"); }
        return (process.ExitCode, stdout.Result, stderr.Result);
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
