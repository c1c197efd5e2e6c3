using NUnit.Framework;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tables;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Running;

/// <summary><c>with_from</c>: options merged at run time from an upstream JSON output (tune's best params).</summary>
public class WithFromTests
{
    private const string Yaml = """
        name: best
        params: {best: "-best"}
        stages:
          source: {uses: source}
          search: {uses: best-params, with: {suffix: "${params.best}"}}
          final:
            uses: suffix
            with: {suffix: "-default"}
            with_from: search.best_params
            inputs: {table: source.table}
        """;

    [Test]
    public async Task Options_from_an_upstream_json_override_the_written_ones_and_a_change_there_reruns_with_the_key_named()
    {
        using var ws = new TestWorkspace();
        var first = await ws.RunAsync(ws.Load(Yaml));
        Assert.That(first.Succeeded, Is.True, string.Join(";", first.Stages.Select(s => s.Error)));
        var table = await ParquetTableReader.ReadFileAsync(Path.Combine(ws.Root, ".pipelines/out/best/final/table.parquet"));
        Assert.That(table.StringColumn("text"), Is.All.EqualTo("x-best"));

        var second = await ws.RunAsync(ws.Load(Yaml, new PipelineOverrides { Sets = ["best=-better"] }));
        Assert.That(second.Stages.Single(s => s.Id == "final").Reason, Is.EqualTo("params changed: suffix"));
        Assert.That(second.Stages.Single(s => s.Id == "source").Status, Is.EqualTo(StageStatus.Cached));
    }

    [Test]
    public void A_with_from_that_names_no_file_output_is_reported_before_running()
    {
        using var ws = new TestWorkspace();
        var ex = Assert.Throws<PipelineValidationException>(() => Planner.Plan(ws.Load(Yaml.Replace("search.best_params", "source.table")), ws.Registry))!;
        Assert.That(ex.Problems.Single().Message, Is.EqualTo("stage 'final': 'with_from: source.table': stage 'source' has no file output 'table'. Its file outputs: ."));
    }

    [Test]
    public async Task Merged_options_that_break_validation_fail_the_stage_naming_the_source()
    {
        using var ws = new TestWorkspace();
        const string yaml = "name: bad\nstages:\n  search: {uses: best-params}\n  final:\n    uses: source\n    with_from: search.best_params\n";
        var result = await ws.RunAsync(ws.Load(yaml));
        var final = result.Stages.Single(s => s.Id == "final");
        Assert.That(final.Status, Is.EqualTo(StageStatus.Failed));
        Assert.That(final.Error, Does.StartWith("stage 'final': options from 'search.best_params': unknown option 'suffix'."));
    }
}
