using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary>
/// Issue 13, defect 8: every stage output is a function of its inputs, options and seed, so two clean runs of an
/// example, one stage at a time and two at once, write the same <c>pipelines.lock</c> (every output's hash in it).
/// </summary>
[NonParallelizable]
public class ReproducibilityTests
{
    private static readonly string[] Files =
        ["pipelines/quickstart.yaml", "pipelines/spam.yaml", "pipelines/synthetic.yaml", "pipelines/finetune.yaml",
         "pipelines/data/adult.data", "pipelines/data/spam.jsonl", "data-schemas/adult.yaml"];

    // The examples' own stages and data, with small budgets set from the command line (as the example tests do).
    private static readonly object[] Examples =
    [
        new object[] { "quickstart", Array.Empty<string>() },
        new object[] { "spam", SpamExampleTests.QuickVariant },
        new object[] { "synthetic", ExamplePipelineTests.SyntheticQuickVariant },
        new object[] { "finetune", ExamplePipelineTests.FinetuneQuickVariant },
    ];

    [TestCaseSource(nameof(Examples))]
    public void Two_clean_runs_at_one_and_two_jobs_write_the_same_lock(string pipeline, string[] small)
    {
        string sequential = Workspace(), parallel = Workspace();
        try
        {
            foreach (var (root, jobs) in new[] { (sequential, "1"), (parallel, "2") })
            {
                var (code, stdout, stderr) = CliProcess.Run(root, ["run", $"pipelines/{pipeline}.yaml", "--jobs", jobs, .. small]);
                Assert.That(code, Is.EqualTo(0), $"--jobs {jobs}: {stdout}{stderr}");
            }
            Assert.That(File.ReadAllText(Path.Combine(parallel, "pipelines.lock")), Is.EqualTo(File.ReadAllText(Path.Combine(sequential, "pipelines.lock"))));
        }
        finally
        {
            Directory.Delete(sequential, true);
            Directory.Delete(parallel, true);
        }
    }

    private static string Workspace()
    {
        string root = Path.Combine(Path.GetTempPath(), "pipelines-cli-tests", Guid.NewGuid().ToString("N"));
        foreach (var relative in Files)
        {
            string target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(CliProcess.RepoRoot, relative), target);
        }
        return root;
    }
}
