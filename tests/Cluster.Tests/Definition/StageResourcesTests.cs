using NUnit.Framework;
using Pipelines.Cli;
using Pipelines.Core.Caching;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;

namespace Pipelines.Cluster.Tests.Definition;

/// <summary><c>resources:</c> on a stage: read and checked with its line, and no part of the fingerprint.</summary>
public sealed class StageResourcesTests
{
    private const string Pipeline = """
        name: r
        stages:
          rows:
            uses: ingest
            inputs: {source: data.csv}
        """;

    [Test]
    public void Resources_are_read_from_the_stage()
    {
        var definition = YamlPipelineLoader.Parse(Pipeline + "\n    resources: {cpus: 4, mem: 8G, gpus: \"a100:1\", time: \"1:00:00\"}\n", "p.yaml");
        Assert.That(definition.Stages.Single().Resources, Is.EqualTo(new StageResources { Cpus = 4, Mem = "8G", Gpus = "a100:1", Time = "1:00:00" }));
    }

    [Test]
    public void An_unknown_resource_is_invalid_and_named_with_its_line()
    {
        var ex = Assert.Throws<PipelineValidationException>(() => YamlPipelineLoader.Parse(Pipeline + "\n    resources:\n      cpu: 4\n", "p.yaml"));
        Assert.That(ex!.Message, Does.Contain("p.yaml:7"));
        Assert.That(ex.Message, Does.Contain("unknown resource 'cpu'"));
        Assert.That(ex.Message, Does.Contain("cpus"));
    }

    [TestCase("cpus: 0", "'cpus' must be a whole number of at least 1")]
    [TestCase("mem: lots", "'mem' must be a size such as 4G")]
    [TestCase("time: soon", "'time' must be minutes or [D-]HH:MM:SS")]
    [TestCase("gpus: [1, 2]", "'gpus' must be a single value")]
    public void A_bad_resource_value_is_invalid(string line, string message)
    {
        var ex = Assert.Throws<PipelineValidationException>(() => YamlPipelineLoader.Parse(Pipeline + $"\n    resources:\n      {line}\n", "p.yaml"));
        Assert.That(ex!.Message, Does.Contain(message));
    }

    [Test]
    public async Task Resources_do_not_enter_the_fingerprint()
    {
        string root = Path.Combine(Path.GetTempPath(), "pipelines-res-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            await File.WriteAllTextAsync(Path.Combine(root, "data.csv"), "a,b\n1,2\n");
            var runner = new PipelineRunner(new Workspace(root), StageCatalog.CreateRegistry());
            var plain = await runner.StatusAsync(YamlPipelineLoader.Parse(Pipeline, Path.Combine(root, "p.yaml")));
            var asking = await runner.StatusAsync(YamlPipelineLoader.Parse(Pipeline + "\n    resources: {cpus: 2, mem: 1G}\n", Path.Combine(root, "p.yaml")));
            Assert.That(asking.Single().Fingerprint, Is.EqualTo(plain.Single().Fingerprint));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
