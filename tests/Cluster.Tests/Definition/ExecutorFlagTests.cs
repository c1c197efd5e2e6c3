using System.Diagnostics;
using NUnit.Framework;

namespace Pipelines.Cluster.Tests.Definition;

/// <summary><c>run</c>'s executor flags: a bad value is the user's to fix (exit 2, one message); local stays the default.</summary>
public sealed class ExecutorFlagTests
{
    [TestCase("--executor", "kubernetes", "--executor must be one of local, slurm")]
    [TestCase("--partition", "gpu", "--partition and --slurm-opt need --executor slurm")]
    [TestCase("--slurm-opt", "account=ml", "--partition and --slurm-opt need --executor slurm")]
    public void A_bad_executor_flag_exits_2_with_a_message(string flag, string value, string message)
    {
        var (exit, output) = Run(flag, value);
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain(message));
    }

    [TestCase("job-name=x", "is set by the executor itself")]
    [TestCase("=x", "must look like name=value")]
    public void A_bad_slurm_option_exits_2_with_a_message(string option, string message)
    {
        var (exit, output) = Run("--executor", "slurm", "--slurm-opt", option);
        Assert.That(exit, Is.EqualTo(2), output);
        Assert.That(output, Does.Contain(message));
    }

    private static (int Exit, string Output) Run(params string[] flags)
    {
        string root = Path.Combine(Path.GetTempPath(), "pipelines-flags-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            File.WriteAllText(Path.Combine(root, "data.csv"), "a,b\n1,2\n");
            File.WriteAllText(Path.Combine(root, "p.yaml"), "name: f\nstages:\n  rows:\n    uses: ingest\n    inputs: {source: data.csv}\n");
            var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
            {
                RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root,
            };
            foreach (var a in new[] { Path.Combine(TestContext.CurrentContext.TestDirectory, "pipelines.dll"), "run", "p.yaml", "--no-color" }.Concat(flags))
                info.ArgumentList.Add(a);
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
