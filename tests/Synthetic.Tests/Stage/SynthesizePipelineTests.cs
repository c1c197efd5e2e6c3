using Pipelines.Core;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tables;

namespace Pipelines.Synthetic.Tests.Stage;

/// <summary>The stage from a YAML pipeline through Core's planner, runner and cache.</summary>
public class SynthesizePipelineTests
{
    private const string Yaml = """
        name: synth
        seed: 7
        stages:
          augment:
            uses: synthesize
            inputs:
              table: data/adult.parquet
            with:
              rows: 300
              conditions: { income: ">50K" }
              mix: true
          balanced:
            uses: synthesize
            inputs:
              table: data/adult.parquet
            with:
              method: copula
              balance: { column: sex }
        """;

    [Test]
    public async Task A_yaml_pipeline_runs_the_stage_writes_its_outputs_and_restores_them_from_the_cache()
    {
        using var harness = new StageHarness();
        Directory.CreateDirectory(Path.Combine(harness.Root, "data"));
        File.Move(await harness.WriteInputAsync("adult", AdultData.Load().Slice(0, 1500)), Path.Combine(harness.Root, "data", "adult.parquet"));
        string pipeline = Path.Combine(harness.Root, "pipeline.yaml");
        await File.WriteAllTextAsync(pipeline, Yaml);
        var registry = new StageRegistry().AddRange(SyntheticStageCatalog.All());
        var runner = new PipelineRunner(new Workspace(harness.Root), registry);

        var first = await runner.RunAsync(YamlPipelineLoader.Load(pipeline));
        Assert.That(first.Succeeded, Is.True, string.Join("; ", first.Stages.Select(s => $"{s.Id}: {s.Error}")));
        var augment = first.Stages.Single(s => s.Id == "augment");
        var synthetic = await ParquetTableReader.ReadFileAsync(Path.Combine(harness.Root, augment.OutputPaths["synthetic"]));
        Assert.That(synthetic.RowCount, Is.EqualTo(300));
        Assert.That(synthetic.StringColumn("income").All(v => v == ">50K"), Is.True);
        var mixed = await ParquetTableReader.ReadFileAsync(Path.Combine(harness.Root, augment.OutputPaths["mixed"]));
        Assert.That(mixed.RowCount, Is.EqualTo(1800));

        var second = await runner.RunAsync(YamlPipelineLoader.Load(pipeline));
        Assert.That(second.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Cached));
        Assert.That(second.Stages.Single(s => s.Id == "augment").Outputs["synthetic"], Is.EqualTo(augment.Outputs["synthetic"]));
    }
}
