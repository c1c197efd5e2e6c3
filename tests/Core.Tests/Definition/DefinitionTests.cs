using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Definition;

/// <summary>YAML and C# produce the same definitions and fingerprints; layout never changes a fingerprint.</summary>
public class DefinitionTests
{
    private TestWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new TestWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    private async Task<Dictionary<string, string>> FingerprintsAsync(PipelineDefinition definition)
    {
        var status = await _ws.Runner.StatusAsync(definition);
        await _ws.RunAsync(definition);
        var run = await _ws.RunAsync(definition);
        Assert.That(status.Where(s => s.Fingerprint is not null).Select(s => s.StageId), Is.SubsetOf(run.Stages.Select(s => s.Id)));
        return run.Stages.ToDictionary(s => s.Id, s => s.Fingerprint!);
    }

    [Test]
    public async Task A_yaml_pipeline_and_its_csharp_twin_get_identical_fingerprints()
    {
        var yaml = _ws.Load(Yaml.Diamond);
        var csharp = Pipeline.Create("diamond").Seed(7).Param("suffix_a", "-a").BaseDirectory(_ws.Root)
            .Stage<SourceStage>("source", s => s.With("rows", 4).With("text", "hello"))
            .Stage("a", "suffix", new SuffixOptions { Suffix = "-a" }, s => s.Input("table", "source.table"))
            .Stage("b", "suffix", s => s.With("suffix", "-b").Input("table", "a.table"))
            .Stage("c", "suffix", s => s.With("suffix", "-c").Input("table", "source.table"))
            .Stage("d", "concat-test", s => s.Input("left", "a.table").Input("right", "c.table"))
            .Build();
        var fromYaml = await FingerprintsAsync(yaml);
        using var other = new TestWorkspace();
        var fromCSharp = (await other.RunAsync(csharp)).Stages.ToDictionary(s => s.Id, s => s.Fingerprint!);
        Assert.That(fromCSharp, Is.EqualTo(fromYaml));
    }

    [Test]
    public async Task Comments_formatting_and_descriptions_never_change_a_fingerprint()
    {
        var plain = await FingerprintsAsync(_ws.Load(Yaml.Diamond));
        const string restyled = """
            # a comment
            name:   diamond
            seed: 7
            params: { suffix_a: '-a' }
            stages:
              source:
                description: where rows come from
                uses: source
                with:
                  text: "hello"   # reordered keys
                  rows: 4
              a: {uses: suffix, inputs: {table: source.table}, with: {suffix: "${params.suffix_a}"}, description: adds -a}
              b: {uses: suffix, with: {suffix: "-b"}, inputs: {table: a.table}}
              c: {uses: suffix, with: {suffix: "-c"}, inputs: {table: source.table}}
              d: {uses: concat-test, inputs: {right: c.table, left: a.table}}
            """;
        Assert.That(await FingerprintsAsync(_ws.Load(restyled, name: "restyled.yaml")), Is.EqualTo(plain));
    }

    [Test]
    public void Whole_value_substitution_keeps_the_param_type_and_embedded_substitution_makes_text()
    {
        var definition = _ws.Load("name: p\nparams: {n: 5, tag: v1}\nstages:\n  s:\n    uses: source\n    with: {rows: \"${params.n}\", text: \"run-${params.tag}-${params.n}\"}\n");
        var with = definition.Stages[0].With;
        Assert.That(with["rows"]!.GetValueKind(), Is.EqualTo(System.Text.Json.JsonValueKind.Number));
        Assert.That(with["rows"]!.GetValue<long>(), Is.EqualTo(5));
        Assert.That(with["text"]!.GetValue<string>(), Is.EqualTo("run-v1-5"));
    }

    [Test]
    public void Set_overrides_reach_params_and_stage_options_and_a_params_file_merges_under_them()
    {
        string paramsFile = _ws.WriteFile("params.yaml", "n: 7\ntag: file\n");
        var definition = _ws.Load("name: p\nparams: {n: 5, tag: v1}\nstages:\n  s:\n    uses: source\n    with: {rows: \"${params.n}\", text: \"${params.tag}\"}\n",
            new PipelineOverrides { ParamsFile = paramsFile, Sets = ["tag=cli", "s.rows=9"] });
        Assert.That(definition.Params["n"]!.GetValue<long>(), Is.EqualTo(7));
        Assert.That(definition.Stages[0].With["text"]!.GetValue<string>(), Is.EqualTo("cli"));
        Assert.That(definition.Stages[0].With["rows"]!.GetValue<long>(), Is.EqualTo(9));
    }

    [Test]
    public void Stage_seeds_depend_on_the_pipeline_seed_and_the_stage_id_only()
    {
        Assert.That(Planner.StageSeed(42, "split"), Is.EqualTo(Planner.StageSeed(42, "split")));
        Assert.That(Planner.StageSeed(42, "split"), Is.Not.EqualTo(Planner.StageSeed(43, "split")));
        Assert.That(Planner.StageSeed(42, "split"), Is.Not.EqualTo(Planner.StageSeed(42, "dedup")));
        Assert.That(Planner.StageSeed(42, "split"), Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task A_user_stage_is_referenced_from_yaml_by_its_type_name_and_runs()
    {
        string yaml = $"name: user\nstages:\n  s: {{uses: source}}\n  mine:\n    uses: {typeof(ReverseTextStage).FullName}\n    inputs: {{table: s.table}}\n";
        var result = await _ws.RunAsync(_ws.Load(yaml));
        Assert.That(result.Status, Is.EqualTo("succeeded"), string.Join(";", result.Stages.Select(s => s.Error)));
        var table = await Pipelines.Core.Tables.ParquetTableReader.ReadFileAsync(Path.Combine(_ws.Root, ".pipelines/out/user/mine/table.parquet"));
        Assert.That(table.StringColumn("text"), Is.All.EqualTo("x"));
        Assert.That(table.Column<long>("id"), Is.EqualTo(new long?[] { 2, 1, 0 }));
    }

    [Test]
    public async Task A_user_stage_is_referenced_from_csharp_by_its_type()
    {
        var definition = Pipeline.Create("user").BaseDirectory(_ws.Root)
            .Stage<SourceStage>("s")
            .Stage<ReverseTextStage>("mine", s => s.Input("table", "s.table"))
            .Build();
        var result = await _ws.RunAsync(definition);
        Assert.That(result.Stages.Select(s => s.Status), Is.All.EqualTo(StageStatus.Ran));
        Assert.That(result.Stages[1].Kind, Is.EqualTo("reverse-rows"));
    }

    [Test]
    public void Canonical_json_sorts_keys_and_spells_equal_numbers_once()
    {
        var a = JsonNode.Parse("{\"b\": 1.0, \"a\": [2, {\"y\": true, \"x\": null}]}");
        var b = JsonNode.Parse("{\"a\": [2.0, {\"x\": null, \"y\": true}], \"b\": 1}");
        Assert.That(Hashing.CanonicalJson.Serialize(a), Is.EqualTo("{\"a\":[2,{\"x\":null,\"y\":true}],\"b\":1}"));
        Assert.That(Hashing.CanonicalJson.Hash(a), Is.EqualTo(Hashing.CanonicalJson.Hash(b)));
    }
}

/// <summary>A user stage defined outside the built-ins: reverses row order.</summary>
public sealed class ReverseTextStage : Stage<ReverseTextOptions>
{
    public override string Kind => "reverse-rows";
    public override IReadOnlyList<StagePort> Inputs => [new("table", ArtifactKind.Table)];
    public override IReadOnlyList<StagePort> Outputs => [new("table", ArtifactKind.Table)];

    protected override async Task RunAsync(StageContext context, ReverseTextOptions options, CancellationToken cancellationToken)
    {
        var table = await Pipelines.Core.Tables.ParquetTableReader.ReadFileAsync(context.InputPath("table"), cancellationToken);
        var order = Enumerable.Range(0, table.RowCount).Reverse().ToArray();
        await Pipelines.Core.Tables.ParquetTableWriter.WriteFileAsync(context.OutputPath("table"), table.Select(order), cancellationToken: cancellationToken);
    }
}

/// <summary>No options.</summary>
public sealed class ReverseTextOptions;
