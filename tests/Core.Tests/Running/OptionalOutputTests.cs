using NUnit.Framework;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Running;

/// <summary>Optional outputs (<c>Required: false</c>): stored when written, absent otherwise, and a clear error for a consumer.</summary>
public class OptionalOutputTests
{
    private const string Yaml = """
        name: optional
        params: {extra: false}
        stages:
          make: {uses: optional-output, with: {write_extra: "${params.extra}"}}
        """;

    private const string WithConsumer = Yaml + """

          copy: {uses: model-copy, inputs: {model: make.extra}}
        """;

    [Test]
    public async Task An_optional_output_is_stored_and_materialised_only_when_the_stage_writes_it()
    {
        using var ws = new TestWorkspace();
        string extra = Path.Combine(ws.Root, ".pipelines/out/optional/make/extra");

        var without = await ws.RunAsync(ws.Load(Yaml));
        Assert.That(without.Succeeded, Is.True, string.Join(";", without.Stages.Select(s => s.Error)));
        Assert.That(without.Stages.Single().Outputs.Keys, Is.EqualTo(new[] { "main" }));
        Assert.That(Directory.Exists(extra), Is.False);

        var with = await ws.RunAsync(ws.Load(Yaml, new PipelineOverrides { Sets = ["extra=true"] }));
        Assert.That(with.Stages.Single().Outputs.Keys, Is.EquivalentTo(new[] { "main", "extra" }));
        Assert.That(File.ReadAllText(Path.Combine(extra, "weights.bin")), Is.EqualTo("extra"));

        // Back to the first params: restored from the run cache, and the earlier run's extra is not left behind.
        var again = await ws.RunAsync(ws.Load(Yaml));
        Assert.That(again.Stages.Single().Status, Is.EqualTo(StageStatus.Cached));
        Assert.That(Directory.Exists(extra), Is.False);
    }

    [Test]
    public async Task A_stage_that_reads_an_optional_output_that_was_not_written_fails_with_a_clear_message()
    {
        using var ws = new TestWorkspace();
        var result = await ws.RunAsync(ws.Load(WithConsumer));
        var copy = result.Stages.Single(s => s.Id == "copy");
        Assert.That(copy.Status, Is.EqualTo(StageStatus.Failed));
        Assert.That(copy.Error, Is.EqualTo("stage 'copy': input 'model' = 'make.extra', but stage 'make' did not write its optional output 'extra' (see that stage's options)."));

        var fixedRun = await ws.RunAsync(ws.Load(WithConsumer, new PipelineOverrides { Sets = ["extra=true"] }));
        Assert.That(fixedRun.Succeeded, Is.True, string.Join(";", fixedRun.Stages.Select(s => s.Error)));
        Assert.That(File.ReadAllText(Path.Combine(ws.Root, ".pipelines/out/optional/copy/copy/weights.bin")), Is.EqualTo("extra"));
    }
}
