using System.Diagnostics;
using NUnit.Framework;
using Pipelines.Core.Tables;

namespace Pipelines.Cli.Tests.Docs;

/// <summary>
/// Issue 16: the user-stage host program in <c>docs/pipeline-format.md</c> (blocks fenced <c>```xml host-project</c> and
/// <c>```csharp host-program</c>) builds against this repository's projects and runs its stage. One build, bounded.
/// </summary>
public class DocHostProgramTests
{
    private static readonly TimeSpan BuildLimit = TimeSpan.FromMinutes(5);

    [Test]
    public async Task The_documented_host_program_builds_runs_and_its_user_stage_writes_its_output()
    {
        var blocks = DocCodeBlock.ReadAll(CliProcess.RepoRoot);
        var project = blocks.Single(b => b.Info == "xml host-project");
        var program = blocks.Single(b => b.Info == "csharp host-program");
        string root = Path.Combine(Path.GetTempPath(), "pipelines-doc-host", Guid.NewGuid().ToString("N"));
        string host = Path.Combine(root, "host"), workspace = Path.Combine(root, "workspace");
        try
        {
            Directory.CreateDirectory(host);
            File.WriteAllText(Path.Combine(host, "Host.csproj"), project.Text.Replace("path/to/pipelines/", CliProcess.RepoRoot + "/", StringComparison.Ordinal));
            File.WriteAllText(Path.Combine(host, "Program.cs"), program.Text);
            Directory.CreateDirectory(Path.Combine(workspace, "pipelines", "data"));
            File.Copy(Path.Combine(CliProcess.RepoRoot, "pipelines", "data", "spam.jsonl"), Path.Combine(workspace, "pipelines", "data", "spam.jsonl"));

            // Warnings are errors, as in the repository: a documented program must compile cleanly.
            var build = Dotnet(host, "build", "-c", "Release", "-nologo", "-v", "q", "--disable-build-servers", "-p:TreatWarningsAsErrors=true");
            Assert.That(build.ExitCode, Is.EqualTo(0), $"{program.Where}: the host program does not build:\n{build.Output}");
            var run = Dotnet(workspace, Path.Combine(host, "bin", "Release", "net10.0", "Host.dll"));
            Assert.That(run.ExitCode, Is.EqualTo(0), $"{program.Where}: the host program failed:\n{run.Output}");

            // pipelines/data/README.md: 1,200 emails, 800 ham and 400 spam; the stage upper-cases their labels.
            var table = await ParquetTableReader.ReadFileAsync(Path.Combine(workspace, ".pipelines", "out", "shout", "shout", "table.parquet"));
            var labels = table.StringColumn("label").GroupBy(l => l).ToDictionary(g => g.Key ?? "(null)", g => g.Count());
            Assert.That(labels, Is.EquivalentTo(new Dictionary<string, int> { ["HAM"] = 800, ["SPAM"] = 400 }));
            Assert.That(run.Output, Does.Contain("shout: Ran"));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (int ExitCode, string Output) Dotnet(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1"; // leave no build nodes behind
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(BuildLimit)) { process.Kill(true); Assert.Fail($"dotnet {string.Join(' ', args)} did not finish in {BuildLimit.TotalMinutes} minutes"); }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
