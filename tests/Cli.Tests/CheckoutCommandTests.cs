using System.Text.Json;
using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary><c>checkout RUN</c> puts back what that run produced; <c>checkout</c> alone, the newest run's outputs.</summary>
public class CheckoutCommandTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "pipelines-cli-checkout", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "d.csv"), "a\nx\nX\ny\n");
        File.WriteAllText(Path.Combine(_root, "p.yaml"), """
            name: mini
            stages:
              ingest:
                uses: ingest
                inputs: {source: d.csv}
              dedup:
                uses: dedup
                inputs: {table: ingest.table}
                with: {mode: exact, columns: [a]}
            """);
    }

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }


    private string Materialised() =>
        string.Join("|", Directory.GetFiles(Path.Combine(_root, ".pipelines/out/mini/dedup"), "table.parquet").Select(f => Convert.ToHexString(File.ReadAllBytes(f))));

    [Test]
    public void Checkout_of_an_earlier_run_restores_its_outputs_and_checkout_alone_the_newest()
    {
        Assert.That(CliProcess.Run(_root, "run", "p.yaml").ExitCode, Is.EqualTo(0));
        string folded = Materialised();
        Assert.That(CliProcess.Run(_root, "run", "p.yaml", "--set", "dedup.normalization.case_fold=false").ExitCode, Is.EqualTo(0));
        string unfolded = Materialised();
        Assert.That(unfolded, Is.Not.EqualTo(folded), "the second run keeps X beside x");
        using var runs = JsonDocument.Parse(CliProcess.Run(_root, "runs", "--json").Stdout);
        string first = runs.RootElement.GetProperty("runs")[1].GetProperty("run_id").GetString()!;

        var (code, stdout, stderr) = CliProcess.Run(_root, "checkout", first);
        Assert.That(code, Is.EqualTo(0), stderr);
        Assert.That(stdout, Does.Contain(".pipelines/out/mini/dedup/table.parquet").And.Contain($"outputs of run {first}."));
        Assert.That(Materialised(), Is.EqualTo(folded));
        Assert.That(CliProcess.Run(_root, "status", "p.yaml", "--set", "dedup.normalization.case_fold=false").Stdout, Does.Contain("output modified: dedup.table"), "the lock still names the newest run");

        Assert.That(CliProcess.Run(_root, "checkout").ExitCode, Is.EqualTo(0));
        Assert.That(Materialised(), Is.EqualTo(unfolded));
        Assert.That(CliProcess.Run(_root, "status", "p.yaml", "--set", "dedup.normalization.case_fold=false").Stdout, Does.Contain("Everything is up to date."));
    }

    [Test]
    public void Checkout_of_an_unknown_run_exits_2_naming_the_runs_there_are()
    {
        Assert.That(CliProcess.Run(_root, "run", "p.yaml").ExitCode, Is.EqualTo(0));
        var (code, _, stderr) = CliProcess.Run(_root, "checkout", "nope");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("no run 'nope'. Expected a run id from `pipelines runs` (newest: "));
    }
}
