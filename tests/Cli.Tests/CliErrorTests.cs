using NUnit.Framework;

namespace Pipelines.Cli.Tests;

/// <summary>User mistakes end with exit code 2 and one clear message, never a stack trace.</summary>
public class CliErrorTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp()
    {
        _root = Path.Combine(Path.GetTempPath(), "pipelines-cli-errors", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private (int Code, string Stderr) RunPipeline(string yaml, params string[] extra)
    {
        File.WriteAllText(Path.Combine(_root, "p.yaml"), yaml);
        var (code, _, stderr) = CliProcess.Run(_root, ["run", "p.yaml", .. extra]);
        Assert.That(stderr, Does.Not.Contain("   at "), "no stack trace for a user mistake");
        return (code, stderr);
    }

    private const string IngestOnly = "name: x\nstages:\n  ingest:\n    uses: ingest\n    inputs: {source: d.csv}\n";

    [Test]
    public void An_output_path_outside_the_workspace_exits_2_naming_the_line_and_writes_nothing()
    {
        File.WriteAllText(Path.Combine(_root, "d.csv"), "a\n1\n");
        var (code, stderr) = RunPipeline(IngestOnly + "    outputs: {table: ../escaped.parquet}\n");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("p.yaml:6: stage 'ingest': output 'table' = '../escaped.parquet' resolves to ").And.Contain("outside the workspace"));
        Assert.That(File.Exists(Path.Combine(_root, "../escaped.parquet")), Is.False);
    }

    [Test]
    public void A_mistyped_workspace_setting_exits_2_with_a_suggestion()
    {
        File.WriteAllText(Path.Combine(_root, "d.csv"), "a\n1\n");
        File.WriteAllText(Path.Combine(_root, "pipelines.config.yaml"), "# workspace settings\ncache_typ: copy\n");
        var (code, stderr) = RunPipeline(IngestOnly);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("pipelines.config.yaml:2: unknown setting 'cache_typ'. Did you mean 'cache_type'?"));
        File.WriteAllText(Path.Combine(_root, "pipelines.config.yaml"), "cache_type: hardlinks\n");
        (code, stderr) = RunPipeline(IngestOnly);
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("pipelines.config.yaml:1: 'cache_type' must be one of reflink, copy, hardlink, symlink; got 'hardlinks'."));
    }

    [Test]
    public void Cache_type_hardlink_in_the_workspace_config_links_outputs_to_the_cache()
    {
        Assume.That(OperatingSystem.IsLinux(), "link counts are read with stat(1)");
        File.WriteAllText(Path.Combine(_root, "d.csv"), "a\n1\n");
        string output = Path.Combine(_root, ".pipelines/out/x/ingest/table.parquet");
        Assert.That(RunPipeline(IngestOnly).Code, Is.EqualTo(0));
        Assert.That(LinkCount(output), Is.EqualTo(1), "by default an output is the user's own copy");

        File.WriteAllText(Path.Combine(_root, "pipelines.config.yaml"), "cache_type: hardlink\n");
        Directory.Delete(Path.Combine(_root, ".pipelines/out"), recursive: true);
        Assert.That(RunPipeline(IngestOnly).Code, Is.EqualTo(0));
        Assert.That(LinkCount(output), Is.EqualTo(2), "the output and its blob are one file");
    }

    private static int LinkCount(string path)
    {
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%h", path]) { RedirectStandardOutput = true })!;
        string count = stat.StandardOutput.ReadToEnd().Trim();
        stat.WaitForExit();
        return int.Parse(count, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Test]
    public void A_data_schema_with_a_rule_typo_exits_2_at_plan_time_before_any_stage_runs()
    {
        File.WriteAllText(Path.Combine(_root, "d.csv"), "a\n1\n");
        File.WriteAllText(Path.Combine(_root, "s.yaml"), "columns:\n  a: {type: int, minn: 0}\n");
        var (code, stderr) = RunPipeline("name: x\nstages:\n  ingest:\n    uses: ingest\n    inputs: {source: d.csv, schema: s.yaml}\n");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("p.yaml:5: stage 'ingest': input 'schema' = 's.yaml' is not a valid data-schema:"));
        Assert.That(stderr, Does.Contain("s.yaml:2: column 'a': unknown rule 'minn'. Did you mean 'min'?"));
        Assert.That(Directory.Exists(Path.Combine(_root, ".pipelines/out")), Is.False, "nothing ran");
    }

    [Test]
    public void Malformed_yaml_exits_2_naming_the_line()
    {
        var (code, stderr) = RunPipeline("name: x\nstages:\n  a: [unclosed\n");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.StartWith("error: The pipeline is invalid: p.yaml:"));
    }

    [Test]
    public void An_unknown_option_exits_2_with_a_suggestion()
    {
        File.WriteAllText(Path.Combine(_root, "d.csv"), "a\n1\n");
        var (code, stderr) = RunPipeline("name: x\nstages:\n  ingest:\n    uses: ingest\n    inputs: {source: d.csv}\n    with: {delimeter: \";\"}\n");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("p.yaml:6: stage 'ingest': unknown option 'delimeter'. Did you mean 'delimiter'?"));
    }

    [Test]
    public void A_bad_csv_row_fails_the_stage_with_exit_2_naming_file_and_line()
    {
        File.WriteAllText(Path.Combine(_root, "d.csv"), "a,b\n1,2\n3\n");
        var (code, stderr) = RunPipeline("name: x\nstages:\n  ingest:\n    uses: ingest\n    inputs: {source: d.csv}\n");
        Assert.That(code, Is.EqualTo(2), "a broken input file is the user's to fix");
        Assert.That(stderr, Does.Contain("stage 'ingest' failed: d.csv:3: expected 2 fields but found 1."));
        Assert.That(Directory.GetFiles(Path.Combine(_root, ".pipelines/runs-cache")), Is.Empty, "a failed stage leaves nothing in the run cache");
    }

    [Test]
    public void A_missing_pipeline_file_exits_2()
    {
        var (code, _, stderr) = CliProcess.Run(_root, "run", "nope.yaml");
        Assert.That(code, Is.EqualTo(2));
        Assert.That(stderr, Does.Contain("nope.yaml: pipeline file not found."));
    }

    [Test]
    public void Dag_prints_mermaid_edges_with_output_names()
    {
        var (code, stdout, _) = CliProcess.Run(CliProcess.RepoRoot, "dag", "pipelines/quickstart.yaml", "--format", "mermaid");
        Assert.That(code, Is.EqualTo(0));
        Assert.That(stdout, Does.Contain("s_ingest -->|table| s_validate").And.Contain("s_dedup -->|table| s_split"));
    }
}
