using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Pipelines.Cli.Tests.Docs;

/// <summary>
/// Issue 16: the YAML in <c>docs/</c> works when copied. Every block fenced <c>```yaml</c> is a whole pipeline that
/// <c>pipelines dag</c> plans in a copy of the workspace (the shipped example data and data-schemas); every other YAML
/// block is fenced <c>```yaml fragment</c>. Failures name the page and line.
/// </summary>
public partial class DocExampleTests
{
    private const string Whole = "yaml";
    private const string Fragment = "yaml fragment";
    private static readonly string[] KnownInfos = [Whole, Fragment, "csharp", "csharp host-program", "xml host-project", "json", ""];

    private string _workspace = null!;

    public static IEnumerable<TestCaseData> WholePipelines() =>
        DocCodeBlock.ReadAll(CliProcess.RepoRoot).Where(b => b.Info == Whole)
            .Select(b => new TestCaseData(b).SetName("Dag_plans_" + NonWord().Replace(b.Where, "_")));

    [OneTimeSetUp]
    public void CopyWorkspace()
    {
        _workspace = Path.Combine(Path.GetTempPath(), "pipelines-doc-tests", Guid.NewGuid().ToString("N"));
        CopyDirectory(Path.Combine(CliProcess.RepoRoot, "pipelines", "data"), Path.Combine(_workspace, "pipelines", "data"));
        CopyDirectory(Path.Combine(CliProcess.RepoRoot, "data-schemas"), Path.Combine(_workspace, "data-schemas"));
    }

    [OneTimeTearDown]
    public void DeleteWorkspace() => Directory.Delete(_workspace, recursive: true);

    [TestCaseSource(nameof(WholePipelines))]
    public void A_whole_pipeline_block_plans_with_pipelines_dag(DocCodeBlock block)
    {
        string name = "doc-" + NonWord().Replace(block.Where, "-") + ".yaml";
        File.WriteAllText(Path.Combine(_workspace, "pipelines", name), block.Text);

        var (code, stdout, stderr) = CliProcess.Run(_workspace, "dag", "pipelines/" + name);

        // Messages name the copied file's lines; say which lines of the page they are.
        string output = Regex.Replace(stdout + stderr, Regex.Escape("pipelines/" + name) + @":(\d+)",
            m => $"{block.File}:{block.Line + int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)}");
        Assert.That(code, Is.EqualTo(0), $"{block.Where}: `pipelines dag` on this block exited {code}; mark it ```yaml fragment if it is not a whole pipeline.\n{output}");
        Assert.That(stdout, Is.Not.Empty, $"{block.Where}: `pipelines dag` printed no stages.");
    }

    [Test]
    public void Every_code_block_is_marked_with_a_known_info_string()
    {
        var unknown = DocCodeBlock.ReadAll(CliProcess.RepoRoot).Where(b => !KnownInfos.Contains(b.Info))
            .Select(b => $"{b.Where}: ```{b.Info}").ToArray();
        Assert.That(unknown, Is.Empty, $"Known fence markings: {string.Join(", ", KnownInfos.Select(i => "```" + i))}.");
    }

    [Test]
    public void The_docs_hold_whole_pipelines_and_none_writes_stages_as_a_list()
    {
        var blocks = DocCodeBlock.ReadAll(CliProcess.RepoRoot);
        Assert.That(blocks.Count(b => b.Info == Whole), Is.GreaterThanOrEqualTo(10), "the docs' runnable examples were not found");
        var listForm = blocks.Where(b => b.Info.StartsWith("yaml", StringComparison.Ordinal))
            .SelectMany(b => b.Text.Split('\n').Select((line, i) => (b, line, i)))
            .Where(x => ListItemWithId().IsMatch(x.line))
            .Select(x => $"{x.b.File}:{x.b.Line + 1 + x.i}: {x.line.Trim()}").ToArray();
        Assert.That(listForm, Is.Empty, "stages are a map of ids (`dedup:`), not a list (`- id: dedup`)");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }

    [GeneratedRegex(@"[^A-Za-z0-9]+")]
    private static partial Regex NonWord();

    [GeneratedRegex(@"^\s*-\s+id:")]
    private static partial Regex ListItemWithId();
}
