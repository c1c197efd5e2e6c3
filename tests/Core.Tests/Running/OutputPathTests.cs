using NUnit.Framework;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Running;

/// <summary>Issue 13, defect 1: an output path names a place inside the workspace that the tool owns, or the run is refused.</summary>
public class OutputPathTests
{
    private TestWorkspace _ws = null!;
    private string _outside = null!;

    [SetUp]
    public void SetUp()
    {
        _ws = new TestWorkspace();
        _outside = Path.Combine(Path.GetTempPath(), "pipelines-tests", "outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_outside);
        File.WriteAllText(Path.Combine(_outside, "precious.txt"), "keep me");
    }

    [TearDown]
    public void TearDown()
    {
        _ws.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    /// <summary>source (table) → concat-test with a report directory output at <paramref name="reportPath"/>.</summary>
    private static string Pipeline(string reportPath, string? tablePath = null) => $$"""
        name: paths
        stages:
          source:
            uses: source
            with: {rows: 2, text: hi}
          both:
            uses: concat-test
            inputs: {left: source.table, right: source.table}
            outputs:
              report: '{{reportPath}}'
        {{(tablePath is null ? "" : $"      table: '{tablePath}'")}}
        """;

    private async Task<PipelineValidationException> Refused(string yaml, string name = "pipeline.yaml")
    {
        var definition = _ws.Load(yaml, name: name);
        var ex = Assert.ThrowsAsync<PipelineValidationException>(() => _ws.RunAsync(definition))!;
        Assert.That(ExecutionLog.Take(), Is.Empty, "refused before anything ran");
        Assert.That(Directory.GetFileSystemEntries(_outside), Is.EqualTo(new[] { Path.Combine(_outside, "precious.txt") }));
        Assert.That(File.ReadAllText(Path.Combine(_outside, "precious.txt")), Is.EqualTo("keep me"));
        Assert.ThrowsAsync<PipelineValidationException>(() => _ws.Runner.StatusAsync(definition), "status refuses the same plan");
        return await Task.FromResult(ex);
    }

    [Test]
    public async Task A_relative_path_that_climbs_out_of_the_workspace_is_refused_at_plan_time_naming_file_and_line()
    {
        string relative = Path.GetRelativePath(_ws.Root, _outside);
        var ex = await Refused(Pipeline(relative));
        var problem = ex.Problems.Single();
        Assert.That(problem.Location!.Value.File, Does.EndWith("pipeline.yaml"));
        Assert.That(problem.Location!.Value.Line, Is.EqualTo(10), "the line of 'report:'");
        Assert.That(problem.Message, Does.Contain("stage 'both': output 'report'").And.Contain("outside the workspace"));
    }

    [Test]
    public async Task An_absolute_path_outside_the_workspace_is_refused()
    {
        var ex = await Refused(Pipeline(_outside));
        Assert.That(ex.Problems.Single().Message, Does.Contain("outside the workspace"));
    }

    [Test]
    public async Task A_path_through_a_symbolic_link_that_leads_out_of_the_workspace_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_ws.Root, "escape"), _outside);
        var ex = await Refused(Pipeline("escape/report"));
        Assert.That(ex.Problems.Single().Message, Does.Contain($"resolves to {Path.Combine(_outside, "report")}"));
    }

    [Test]
    public async Task Paths_inside_the_state_directory_and_the_root_itself_are_refused()
    {
        var ex = await Refused(Pipeline(".pipelines/cache"));
        Assert.That(ex.Problems.Single().Message, Does.Contain("inside .pipelines/"));
        ex = await Refused(Pipeline("."));
        Assert.That(ex.Problems.Single().Message, Does.Contain("the workspace root itself"));
    }

    [Test]
    public async Task An_output_may_not_coincide_with_or_contain_an_external_input_or_the_pipeline_file()
    {
        _ws.WriteFile("data/input.txt", "x");
        string yaml = """
            name: paths
            stages:
              copy:
                uses: model-copy
                inputs: {model: data}
                outputs: {copy: data}
            """;
        var ex = await Refused(yaml);
        Assert.That(ex.Problems.Single().Message, Is.EqualTo("stage 'copy': output 'copy' = 'data' coincides with input 'model' of stage 'copy' (data); outputs may not overwrite what the pipeline reads."));

        Directory.CreateDirectory(Path.Combine(_ws.Root, "sub"));
        ex = await Refused(Pipeline("sub"), name: "sub/pipeline.yaml");
        Assert.That(ex.Problems.Single().Message, Does.Contain("contains the pipeline file"));
        Assert.That(File.Exists(Path.Combine(_ws.Root, "sub/pipeline.yaml")));
    }

    [Test]
    public async Task Two_outputs_may_not_share_a_path_and_the_message_names_both()
    {
        var ex = await Refused(Pipeline("out/both", tablePath: "out/both/table.parquet"));
        Assert.That(ex.Problems.Single().Message, Does.StartWith("stage 'both': output 'report' = 'out/both' contains stage 'both': output 'table' = 'out/both/table.parquet' (")
            .And.EndWith("pipeline.yaml:11); two outputs cannot share a path."));
    }

    [Test]
    public async Task A_file_or_folder_the_tool_did_not_write_is_never_replaced()
    {
        string folder = _ws.WriteFile("reports/mine/notes.txt", "my notes");
        var ex = await Refused(Pipeline("reports/mine"));
        Assert.That(ex.Problems.Single().Message, Does.EndWith("exists and was not written by pipelines; move it or choose another path."));
        Assert.That(File.ReadAllText(folder), Is.EqualTo("my notes"));

        string file = _ws.WriteFile("table.parquet", "not a table");
        ex = await Refused(Pipeline("reports/new", tablePath: "table.parquet"));
        Assert.That(ex.Problems.Single().Message, Does.Contain("output 'table' = 'table.parquet'").And.Contain("was not written by pipelines"));
        Assert.That(File.ReadAllText(file), Is.EqualTo("not a table"));
    }

    [Test]
    public async Task What_the_tool_wrote_it_replaces_and_restores()
    {
        var first = await _ws.RunAsync(_ws.Load(Pipeline("reports/both")));
        Assert.That(first.Succeeded, Is.True, string.Join(";", first.Stages.Select(s => s.Error)));
        string index = Path.Combine(_ws.Root, "reports/both/report.json");
        Assert.That(File.Exists(index), Is.True, string.Join(",", Directory.GetFileSystemEntries(Path.Combine(_ws.Root, "reports/both"))));
        string original = File.ReadAllText(index);

        File.WriteAllText(index, "edited by the user");
        var second = await _ws.RunAsync(_ws.Load(Pipeline("reports/both")));
        Assert.That(second.Succeeded, Is.True, string.Join(";", second.Stages.Select(s => s.Error)));
        Assert.That(File.ReadAllText(index), Is.EqualTo(original), "an output the tool placed is restored");
    }

    [Test]
    public async Task A_no_op_rerun_leaves_intact_outputs_untouched()
    {
        await _ws.RunAsync(_ws.Load(Pipeline("reports/both")));
        string table = Path.Combine(_ws.Root, ".pipelines/out/paths/both/table.parquet");
        string report = Path.Combine(_ws.Root, "reports/both/report.json");
        var before = new[] { table, report }.Select(p => (File.GetLastWriteTimeUtc(p), new FileInfo(p).Length)).ToArray();
        string[] inodes = [Inode(table), Inode(report)];
        await Task.Delay(20);

        var rerun = await _ws.RunAsync(_ws.Load(Pipeline("reports/both")));
        Assert.That(rerun.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Cached));
        Assert.That(new[] { table, report }.Select(p => (File.GetLastWriteTimeUtc(p), new FileInfo(p).Length)).ToArray(), Is.EqualTo(before));
        Assert.That(new[] { Inode(table), Inode(report) }, Is.EqualTo(inodes), "not even re-placed");
    }

    private static string Inode(string path)
    {
        Assume.That(OperatingSystem.IsWindows(), Is.False, "inodes are read with stat(1)");
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%i", path]) { RedirectStandardOutput = true })!;
        string inode = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return inode;
    }
}
