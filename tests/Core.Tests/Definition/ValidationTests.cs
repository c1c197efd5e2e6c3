using FluentValidation;
using NUnit.Framework;
using Pipelines.Core.Definition;
using Pipelines.Core.Running;
using Pipelines.Core.Tests.Support;

namespace Pipelines.Core.Tests.Definition;

/// <summary>Every kind of pipeline mistake is reported before anything runs, with its file and line.</summary>
public class ValidationTests
{
    private TestWorkspace _ws = null!;

    [SetUp]
    public void SetUp() => _ws = new TestWorkspace();

    [TearDown]
    public void TearDown() => _ws.Dispose();

    private IReadOnlyList<string> Problems(string yaml)
    {
        var ex = Assert.Throws<PipelineValidationException>(() => Planner.Plan(_ws.Load(yaml), _ws.Registry))!;
        return ex.Problems.Select(p => p.ToString()).ToArray();
    }

    private string Single(string yaml)
    {
        var problems = Problems(yaml);
        Assert.That(problems, Has.Count.EqualTo(1), string.Join("\n", problems));
        return problems[0];
    }

    private string At(int line) => $"{Path.Combine(_ws.Root, "pipeline.yaml")}:{line}: ";

    [Test]
    public void A_cycle_is_reported_with_the_stages_that_form_it()
    {
        const string yaml = """
            name: cycle
            stages:
              a: {uses: suffix, with: {suffix: x}, inputs: {table: c.table}}
              b: {uses: suffix, with: {suffix: x}, inputs: {table: a.table}}
              c: {uses: suffix, with: {suffix: x}, inputs: {table: b.table}}
            """;
        Assert.That(Single(yaml), Is.EqualTo(At(3) + "the stages form a cycle: a -> c -> b -> a (each reads an output of the next)."));
    }

    [Test]
    public void An_unknown_stage_kind_suggests_the_closest_kind()
    {
        const string yaml = "name: p\nstages:\n  a:\n    uses: sufix\n    with: {suffix: x}\n";
        Assert.That(Single(yaml), Does.StartWith(At(4) + "stage 'a': unknown stage kind 'sufix'. Did you mean 'suffix'? Known kinds: best-params, concat-test, model-copy, optional-output, source, suffix"));
    }

    [Test]
    public void A_reference_to_a_missing_output_names_the_outputs_that_exist()
    {
        const string yaml = "name: p\nstages:\n  s: {uses: source}\n  a:\n    uses: suffix\n    with: {suffix: x}\n    inputs:\n      table: s.tabel\n";
        Assert.That(Single(yaml), Is.EqualTo(At(8) + "stage 'a': input 'table' = 's.tabel': stage 's' has no output 'tabel'. Did you mean 'table'? Outputs of 's': table."));
    }

    [Test]
    public void A_reference_that_names_neither_a_stage_nor_a_file_is_reported()
    {
        const string yaml = "name: p\nstages:\n  a:\n    uses: suffix\n    with: {suffix: x}\n    inputs:\n      table: data/missing.parquet\n";
        Assert.That(Single(yaml), Does.StartWith(At(7) + "stage 'a': input 'table' = 'data/missing.parquet' is neither a stage output nor an existing file (looked for "));
    }

    [Test]
    public void A_reference_that_is_both_a_stage_output_and_a_file_is_ambiguous()
    {
        _ws.WriteFile("s.table", "x");
        const string yaml = "name: p\nstages:\n  s: {uses: source}\n  a:\n    uses: suffix\n    with: {suffix: x}\n    inputs:\n      table: s.table\n";
        Assert.That(Single(yaml), Does.StartWith(At(8) + "stage 'a': input 'table' = 's.table' is ambiguous: it names output 'table' of stage 's' and also the file "));
    }

    [Test]
    public void A_duplicate_stage_id_is_reported_with_the_first_declaration()
    {
        const string yaml = "name: p\nstages:\n  s: {uses: source}\n  s: {uses: source}\n";
        Assert.That(Problems(yaml), Does.Contain(At(4) + "duplicate stage id 's' (first declared at line 3)."));
    }

    [Test]
    public void A_missing_required_option_is_reported()
    {
        const string yaml = "name: p\nstages:\n  s: {uses: source}\n  a:\n    uses: suffix\n    inputs: {table: s.table}\n";
        Assert.That(Single(yaml), Is.EqualTo(At(4) + "stage 'a': missing required option 'suffix' (text)."));
    }

    [Test]
    public void A_wrongly_typed_option_says_what_was_expected_and_what_was_given()
    {
        const string yaml = "name: p\nstages:\n  s:\n    uses: source\n    with:\n      rows: many\n";
        Assert.That(Single(yaml), Is.EqualTo(At(6) + "stage 's': 'rows' must be an integer. You entered 'many'."));
    }

    [Test]
    public void An_option_out_of_range_uses_the_validator_message_with_the_yaml_name()
    {
        const string yaml = "name: p\nstages:\n  s:\n    uses: source\n    with:\n      rows: -5\n";
        Assert.That(Single(yaml), Is.EqualTo(At(6) + "stage 's': 'rows' must be between 0 and 1000000. You entered -5."));
    }

    [Test]
    public void An_unknown_option_suggests_the_closest_option()
    {
        const string yaml = "name: p\nstages:\n  s:\n    uses: source\n    with:\n      rowz: 5\n";
        Assert.That(Single(yaml), Is.EqualTo(At(6) + "stage 's': unknown option 'rowz'. Did you mean 'rows'? Options of this stage: rows, text."));
    }

    [Test]
    public void A_validator_failure_points_at_the_line_of_the_option_it_names_by_property()
    {
        // The nested rule's message names 'warmup', which is no with: key of the stage: its line comes from the
        // failure's property path (Schedule.Warmup -> schedule), not from the message's words.
        _ws.Registry.Add(new StepsStage());
        const string yaml = "name: p\nstages:\n  s:\n    uses: steps\n    with:\n      note: hi\n      max_steps: 0\n      schedule: {warmup: -1}\n";
        var problems = Problems(yaml);
        Assert.That(problems, Is.EqualTo(new[]
        {
            At(7) + "stage 's': 'max_steps' must be greater than '0'.",
            At(8) + "stage 's': 'warmup' must be greater than or equal to '0'.",
        }));
    }

    private sealed class StepsOptions
    {
        public string Note { get; set; } = "";

        public int MaxSteps { get; set; } = 1;

        public ScheduleOptions Schedule { get; set; } = new();
    }

    private sealed class ScheduleOptions
    {
        public int Warmup { get; set; }
    }

    private sealed class StepsValidator : AbstractValidator<StepsOptions>
    {
        public StepsValidator()
        {
            RuleFor(o => o.MaxSteps).GreaterThan(0);
            RuleFor(o => o.Schedule.Warmup).GreaterThanOrEqualTo(0);
        }
    }

    private sealed class StepsStage : Stage<StepsOptions>
    {
        public override string Kind => "steps";

        public override IReadOnlyList<StagePort> Inputs => [];

        public override IReadOnlyList<StagePort> Outputs => [new("out", ArtifactKind.File, Extension: ".txt")];

        protected override IValidator<StepsOptions>? Validator { get; } = new StepsValidator();

        protected override Task RunAsync(StageContext context, StepsOptions options, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Test]
    public void A_missing_required_input_is_reported()
    {
        const string yaml = "name: p\nstages:\n  a:\n    uses: suffix\n    with: {suffix: x}\n";
        Assert.That(Single(yaml), Is.EqualTo(At(3) + "stage 'a': missing required input 'table' (table)."));
    }

    [Test]
    public void Malformed_yaml_names_the_line()
    {
        var ex = Assert.Throws<PipelineValidationException>(() => _ws.Load("name: p\nstages:\n  a: {uses: source\n  b: x\n"))!;
        Assert.That(ex.Problems[0].Location!.Value.Line, Is.InRange(3, 5));
        Assert.That(ex.Problems[0].Message, Does.StartWith("invalid YAML: "));
    }

    [Test]
    public void Every_problem_is_reported_together_in_file_order()
    {
        const string yaml = """
            name: many
            stages:
              s:
                uses: source
                with: {rows: lots}
              a:
                uses: sufix
              b:
                uses: suffix
                inputs: {table: nowhere.table}
            """;
        var problems = Problems(yaml);
        Assert.That(problems, Has.Count.EqualTo(4), string.Join("\n", problems));
        Assert.That(problems[0], Does.Contain("'rows' must be an integer"));
        Assert.That(problems[1], Does.Contain("unknown stage kind 'sufix'"));
        Assert.That(problems.Skip(2), Has.Some.Contains("missing required option 'suffix'").And.Some.Contains("'nowhere.table' is neither a stage output nor an existing file"));
    }

    [Test]
    public void A_reference_to_an_unknown_param_is_reported_with_a_suggestion()
    {
        var ex = Assert.Throws<PipelineValidationException>(() => _ws.Load("name: p\nparams: {size: 3}\nstages:\n  s:\n    uses: source\n    with: {rows: \"${params.sise}\"}\n"))!;
        Assert.That(ex.Problems.Single().ToString(), Is.EqualTo(At(6) + "'${params.sise}' refers to a param that does not exist. Did you mean 'size'?"));
    }

    [Test]
    public void A_set_override_for_an_unknown_key_is_reported()
    {
        var ex = Assert.Throws<PipelineValidationException>(() => _ws.Load("name: p\nstages:\n  source: {uses: source}\n", new PipelineOverrides { Sets = ["sorce.rows=3"] }))!;
        Assert.That(ex.Problems.Single().Message, Does.StartWith("--set 'sorce.rows': 'sorce' is neither a param nor a stage of ").And.EndWith("Did you mean 'source'?"));
    }

    [Test]
    public void A_set_override_of_a_param_that_does_not_exist_is_reported_not_added()
    {
        var ex = Assert.Throws<PipelineValidationException>(() => _ws.Load("name: p\nparams: {cfg: {size: 3}}\nstages:\n  source: {uses: source, with: {rows: \"${params.cfg.size}\"}}\n",
            new PipelineOverrides { Sets = ["cfg.sise=4"] }))!;
        Assert.That(ex.Problems.Single().Message, Is.EqualTo("--set 'cfg.sise': the params have no 'cfg.sise'. Did you mean 'cfg.size'? Params: cfg.size."));
    }

    [Test]
    public void A_set_override_that_names_a_stage_sharing_a_param_name_sets_the_stage_option_and_an_unknown_one_is_refused()
    {
        const string yaml = "name: p\nparams: {source: {rows: 3}}\nstages:\n  source: {uses: source, with: {rows: \"${params.source.rows}\"}}\n";
        var definition = _ws.Load(yaml, new PipelineOverrides { Sets = ["source.text=bye", "source.rows=5"] });
        Assert.That(definition.Params["source"]!["rows"]!.GetValue<long>(), Is.EqualTo(5), "an existing param is set");
        Assert.That(definition.Stages.Single().With["text"]!.GetValue<string>(), Is.EqualTo("bye"), "not a param: the stage's option");
        Assert.That(definition.Params["source"]!.AsObject().ContainsKey("text"), Is.False, "no param is invented");

        var ex = Assert.Throws<PipelineValidationException>(() => Planner.Plan(_ws.Load(yaml, new PipelineOverrides { Sets = ["source.txt=bye"] }), _ws.Registry))!;
        Assert.That(ex.Problems.Single().Message, Does.Contain("stage 'source': unknown option 'txt'").And.Contain("Did you mean 'text'?"));
    }

    [Test]
    public void An_unknown_stage_key_is_reported_with_a_suggestion()
    {
        var ex = Assert.Throws<PipelineValidationException>(() => _ws.Load("name: p\nstages:\n  s:\n    uses: source\n    wiht: {rows: 1}\n"))!;
        Assert.That(ex.Problems.Single().ToString(), Is.EqualTo(At(5) + "stage 's': unknown key 'wiht'. Did you mean 'with'? Allowed: uses, with, with_from, inputs, outputs, resources, description."));
    }
}
