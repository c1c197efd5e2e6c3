using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Tables;

namespace Pipelines.Cli.Tests;

/// <summary>
/// <c>pipelines/spam.yaml</c> on the shipped SpamAssassin slice through the real executable, with a small training
/// budget (the same stages and data; fewer steps) so it runs in well under 90 s on 2 cores.
/// </summary>
[NonParallelizable]
public class SpamExampleTests
{
    /// <summary>The same stages and data with a small training budget (also used by <see cref="ReproducibilityTests"/>).</summary>
    internal static readonly string[] QuickVariant =
        ["--set", "augment.rows=40", "--set", "augment.steps=40", "--set", "train.max_steps=4", "--set", "train.max_length=64", "--set", "eval.probe_rows=200"];

    private string _root = null!;

    [OneTimeSetUp]
    public void CopyExample()
    {
        _root = Path.Combine(Path.GetTempPath(), "pipelines-cli-tests", Guid.NewGuid().ToString("N"));
        foreach (var relative in new[] { "pipelines/spam.yaml", "pipelines/data/spam.jsonl" })
        {
            string target = Path.Combine(_root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(Path.Combine(CliProcess.RepoRoot, relative), target);
        }
    }

    [OneTimeTearDown]
    public void Remove()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private JsonArray Run()
    {
        var (code, stdout, stderr) = CliProcess.Run(_root, ["run", "pipelines/spam.yaml", .. QuickVariant]);
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        return JsonNode.Parse(File.ReadAllText(Path.Combine(_root, ".pipelines/runs/latest.json")))!["stages"]!.AsArray();
    }

    private static JsonNode Stage(JsonArray stages, string id) => stages.Single(s => (string?)s!["id"] == id)!;

    [Test, Order(1)]
    public async Task The_first_run_dedups_augments_spam_only_and_trains_and_evaluates_a_classifier()
    {
        var stages = Run();
        Assert.That(stages.Select(s => (string?)s!["status"]), Is.All.EqualTo("ran"));
        StageBehaviour.Check(_root, "spam");

        var dedup = Stage(stages, "dedup")["summary"]!;
        Assert.That((int)dedup["rows_in"]!, Is.EqualTo(1200));
        Assert.That((int)dedup["exact_removed"]!, Is.GreaterThan(0));
        Assert.That((int)dedup["near_removed"]!, Is.GreaterThan(0));
        Assert.That((int)dedup["duplicates_removed"]!, Is.EqualTo((int)dedup["rows_in"]! - (int)dedup["rows_out"]!));

        var synthetic = await ParquetTableReader.ReadFileAsync(Path.Combine(_root, ".pipelines/out/spam/augment/synthetic.parquet"));
        Assert.That(synthetic.RowCount, Is.EqualTo(40));
        Assert.That(synthetic.StringColumn("label"), Is.All.EqualTo("spam"));
        Assert.That(synthetic.StringColumn("_source"), Is.All.EqualTo("synthetic"));

        var train = await ParquetTableReader.ReadFileAsync(Path.Combine(_root, ".pipelines/out/spam/split/train.parquet"));
        var mixed = await ParquetTableReader.ReadFileAsync(Path.Combine(_root, ".pipelines/out/spam/augment/mixed.parquet"));
        Assert.That(mixed.RowCount, Is.EqualTo(train.RowCount + 40));
        Assert.That(mixed.StringColumn("_source").Count(s => s == "synthetic"), Is.EqualTo(40));

        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, ".pipelines/out/spam/eval/report/report.json")))!;
        Assert.That(report.ToJsonString(), Does.Contain("accuracy"));
    }

    [Test, Order(2)]
    public void The_second_run_restores_every_stage_from_the_cache()
    {
        var stages = Run();
        Assert.That(stages.Select(s => ((string?)s!["status"], (string?)s["reason"])), Is.All.EqualTo(("cached", "unchanged")));
    }
}
