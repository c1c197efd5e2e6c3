using NUnit.Framework;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Hashing;
using Pipelines.Core.Running;
using Pipelines.Examples.FineTune;

namespace Pipelines.Cli.Tests;

/// <summary>pipelines/finetune.yaml and its C# twin in pipelines/FineTune plan to the same stages, hence the same fingerprints.</summary>
public class FineTuneTwinTests
{
    [Test]
    public async Task The_yaml_pipeline_and_its_csharp_twin_plan_identical_stages_and_fingerprints()
    {
        var registry = StageCatalog.CreateRegistry();
        var yaml = Planner.Plan(YamlPipelineLoader.Load(Path.Combine(CliProcess.RepoRoot, "pipelines/finetune.yaml")), registry);
        var csharp = Planner.Plan(FineTunePipeline.Build(Path.Combine(CliProcess.RepoRoot, "pipelines")), registry);

        Assert.That(csharp.Stages.Select(s => s.Id), Is.EqualTo(yaml.Stages.Select(s => s.Id)));
        foreach (var stage in yaml.Stages)
        {
            var twin = csharp.ById[stage.Id];
            Assert.That(twin.Stage.Kind, Is.EqualTo(stage.Stage.Kind), stage.Id);
            Assert.That(CanonicalJson.Serialize(twin.OptionsJson), Is.EqualTo(CanonicalJson.Serialize(stage.OptionsJson)), stage.Id);
            Assert.That(twin.Inputs.Select(i => (i.Name, i.Reference)), Is.EquivalentTo(stage.Inputs.Select(i => (i.Name, i.Reference))), stage.Id);
            Assert.That(twin.Seed, Is.EqualTo(stage.Seed), stage.Id);
            Assert.That(twin.Definition.WithFrom, Is.EqualTo(stage.Definition.WithFrom), stage.Id);
        }

        string root = Path.Combine(Path.GetTempPath(), "finetune-twin", Guid.NewGuid().ToString("N"));
        try
        {
            var runner = new PipelineRunner(new Workspace(root), registry);
            var fromYaml = await runner.StatusAsync(yaml.Definition);
            var fromCSharp = await runner.StatusAsync(csharp.Definition);
            Assert.That(fromYaml.Single(s => s.StageId == "ingest").Fingerprint, Is.Not.Null);
            Assert.That(fromCSharp.Select(s => s.Fingerprint), Is.EqualTo(fromYaml.Select(s => s.Fingerprint)));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, true);
        }
    }
}
