using System.Globalization;
using System.Text.Json.Nodes;
using NUnit.Framework;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Cli.Tests;

/// <summary>
/// <c>pipelines card</c> on a small pipeline of the main pipeline's shape: the model card's front matter and the data
/// card's figures against values computed here from the source file and the artifacts, and a changed option seen in the card.
/// </summary>
[NonParallelizable]
public class CardCommandTests
{
    private const int SourceRows = 3000;
    private string _root = null!;

    [OneTimeSetUp]
    public void RunThePipeline()
    {
        _root = CliProcess.CopyQuickstart();
        string data = Path.Combine(_root, "pipelines/data/adult.data");
        var lines = File.ReadLines(data).Take(SourceRows - 3).ToList();
        lines.AddRange([lines[10], lines[20], lines[20]]); // three exact duplicates, known by hand
        File.WriteAllLines(data, lines);
        File.Copy(Path.Combine(CliProcess.RepoRoot, "tests/Cli.Tests/Cards/card.yaml"), Path.Combine(_root, "pipelines/card.yaml"));
        var (code, stdout, stderr) = CliProcess.Run(_root, "run", "pipelines/card.yaml");
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        (code, stdout, stderr) = CliProcess.Run(_root, "card");
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
    }

    [OneTimeTearDown]
    public void CleanUp() => Directory.Delete(_root, true);

    private string CardFolder => Path.Combine(_root, ".pipelines/cards/card/train");

    private string DataCard => File.ReadAllText(Path.Combine(CardFolder, "data_card.md"));

    private JsonNode EvalReport => JsonNode.Parse(File.ReadAllText(Path.Combine(_root, ".pipelines/out/card/eval/report/report.json")))!;

    [Test]
    public void The_model_card_has_hugging_face_front_matter_with_the_evaluation_results_beside_the_adapter_files()
    {
        string readme = File.ReadAllText(Path.Combine(CardFolder, "README.md"));
        Assert.That(readme, Does.StartWith("---\n"));
        string frontMatter = readme[4..readme.IndexOf("\n---\n", 4, StringComparison.Ordinal)];
        var yaml = new YamlStream();
        yaml.Load(new StringReader(frontMatter));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        string Scalar(YamlNode node) => ((YamlScalarNode)node).Value!;
        Assert.That(Scalar(root["library_name"]), Is.EqualTo("peft"));
        Assert.That(Scalar(root["license"]), Is.EqualTo("other"), "the base was trained here, so no base licence applies");
        Assert.That(root.Children.ContainsKey("base_model"), Is.False);
        Assert.That(((YamlSequenceNode)root["datasets"]).Select(Scalar), Is.EqualTo(new[] { "adult.data" }));
        var metrics = (YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)root["model-index"])[0])["results"])[0])["metrics"];
        var byType = metrics.Cast<YamlMappingNode>().ToDictionary(m => Scalar(m["type"]), m => double.Parse(Scalar(m["value"]), CultureInfo.InvariantCulture));
        Assert.That(byType["accuracy"], Is.EqualTo(Math.Round(EvalReport["adapter"]!["accuracy"]!.GetValue<double>(), 6)));
        Assert.That(byType["f1"], Is.EqualTo(Math.Round(EvalReport["adapter"]!["macro_f1"]!.GetValue<double>(), 6)));

        foreach (var file in new[] { "adapter_config.json", "adapter_model.safetensors" })
            Assert.That(File.ReadAllBytes(Path.Combine(CardFolder, file)), Is.EqualTo(File.ReadAllBytes(Path.Combine(_root, ".pipelines/out/card/train/adapter", file))), file);
    }

    [Test]
    public void The_data_card_figures_match_values_computed_from_the_source_file_and_the_options()
    {
        var lines = File.ReadAllLines(Path.Combine(_root, "pipelines/data/adult.data"));
        int duplicates = lines.Length - lines.Distinct(StringComparer.Ordinal).Count();
        Assert.That(duplicates, Is.EqualTo(3));
        string card = DataCard;
        var lockText = File.ReadAllText(Path.Combine(_root, "pipelines.lock"));
        string sourceHash = lockText.Split("source:")[1].Split("hash: ")[1][..32];
        Assert.That(card, Does.Contain($"| ingest | data/adult.data | {sourceHash} | CC-BY-4.0 | {N(SourceRows)} | 15 | 0 |"));
        int kept = SourceRows - duplicates;
        Assert.That(card, Does.Contain($"| dedup | exact duplicates | {N(SourceRows)} | {N(kept)} | {duplicates} |"));

        var split = Row(card, "| split |");
        Assert.That(split[1], Is.EqualTo(kept.ToString("N0", CultureInfo.InvariantCulture)));
        int train = int.Parse(split[2], NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.That(train + Int(split[3]) + Int(split[4]), Is.EqualTo(kept));
        Assert.That(card, Does.Contain($"**synthesize: rows**: 200 synthetic beside {N(train)} real"));
        Assert.That(card, Does.Contain($"**synthesize: synthetic share of the mixed table**: {(200.0 / (train + 200) * 100).ToString("0.0", CultureInfo.InvariantCulture)} %"));
        Assert.That(Row(card, "| bias_before |")[2], Is.EqualTo("before"));
        Assert.That(Row(card, "| bias_after |")[2], Is.EqualTo("after"));
        Assert.That(Row(card, "| bias_after |")[3], Is.EqualTo((train + 200).ToString("N0", CultureInfo.InvariantCulture)));
        Assert.That(card, Does.Contain("**tune: trials**: 2 ("));
        Assert.That(card, Does.Contain("| lora.r | categorical [2,4] |"));
        Assert.That(card, Does.Contain("**tool commit**: "));
    }

    [Test]
    public void Changing_one_upstream_option_changes_the_card()
    {
        string before = DataCard;
        string readmeBefore = File.ReadAllText(Path.Combine(CardFolder, "README.md"));
        var (code, stdout, stderr) = CliProcess.Run(_root, "run", "pipelines/card.yaml", "--set", "synthesize.rows=300");
        Assert.That(code, Is.EqualTo(0), stdout + stderr);
        try
        {
            (code, stdout, stderr) = CliProcess.Run(_root, "card", "pipelines/card.yaml", "--stage", "train");
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            string after = DataCard;
            Assert.That(before, Does.Contain("**synthesize: rows**: 200 synthetic"));
            Assert.That(after, Does.Contain("**synthesize: rows**: 300 synthetic"));
            Assert.That(Row(after, "| bias_after |")[3], Is.Not.EqualTo(Row(before, "| bias_after |")[3]));
            Assert.That(File.ReadAllText(Path.Combine(CardFolder, "README.md")), Is.Not.EqualTo(readmeBefore), "the training fingerprint changed with its data");
        }
        finally
        {
            (code, stdout, stderr) = CliProcess.Run(_root, "run", "pipelines/card.yaml");
            Assert.That(code, Is.EqualTo(0), stdout + stderr);
            (code, _, _) = CliProcess.Run(_root, "card");
            Assert.That(code, Is.EqualTo(0));
        }
    }

    [Test]
    public void The_run_report_shows_the_card()
    {
        string html = File.ReadAllText(Path.Combine(_root, ".pipelines/report.html"));
        Assert.That(html, Does.Contain("<h2>Card: train</h2>"));
        Assert.That(html, Does.Contain("CC-BY-4.0"));
    }

    [Test]
    public void Card_refuses_a_folder_outside_the_workspace_or_one_holding_files_it_did_not_write()
    {
        string outside = Directory.CreateTempSubdirectory("card-outside-").FullName;
        try
        {
            var (code, stdout, stderr) = CliProcess.Run(_root, "card", "--out", outside);
            Assert.That(code, Is.EqualTo(2));
            Assert.That(stdout + stderr, Does.Contain("a card is written inside the workspace"));
            Assert.That(Directory.EnumerateFileSystemEntries(outside), Is.Empty);
        }
        finally
        {
            Directory.Delete(outside, true);
        }

        string foreign = Path.Combine(_root, "mine");
        Directory.CreateDirectory(foreign);
        File.WriteAllText(Path.Combine(foreign, "notes.txt"), "the user's");
        var (code2, stdout2, stderr2) = CliProcess.Run(_root, "card", "--out", "mine");
        Assert.That(code2, Is.EqualTo(2));
        Assert.That(stdout2 + stderr2, Does.Contain("--out mine: the folder holds files this command did not write"));
        Assert.That(File.ReadAllText(Path.Combine(foreign, "notes.txt")), Is.EqualTo("the user's"));

        var (code3, stdout3, stderr3) = CliProcess.Run(_root, "card", "--stage", "eval");
        Assert.That(code3, Is.EqualTo(2));
        Assert.That(stdout3 + stderr3, Does.Contain("stage 'eval' is an eval stage: a card describes a trained stage, such as train."));
    }

    private static string[] Row(string markdown, string start) =>
        markdown.Split('\n').First(l => l.StartsWith(start, StringComparison.Ordinal)).Trim('|', ' ').Split(" | ");

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static int Int(string text) => int.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}
