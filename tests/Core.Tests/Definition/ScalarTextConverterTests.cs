using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using NUnit.Framework;
using Pipelines.Core.Definition;

namespace Pipelines.Core.Tests.Definition;

/// <summary>A text option marked with <see cref="ScalarTextConverter"/> takes any YAML scalar as users write it.</summary>
public class ScalarTextConverterTests
{
    public sealed class LabelOptions
    {
        [JsonConverter(typeof(ScalarTextConverter))]
        public string? PositiveLabel { get; set; }
    }

    private static LabelOptions FromYaml(string scalar)
    {
        var with = YamlPipelineLoader.Parse($"name: p\nstages:\n  s:\n    uses: x\n    with: {{positive_label: {scalar}}}\n", "p.yaml").Stages[0].With;
        return OptionsBinder.Bind<LabelOptions>(with);
    }

    [TestCase("1", "1")]
    [TestCase("\"1\"", "1")]
    [TestCase("1.0", "1")]
    [TestCase("-3", "-3")]
    [TestCase("0.25", "0.25")]
    [TestCase("true", "true")]
    [TestCase("\">50K\"", ">50K")]
    [TestCase("spam", "spam")]
    public void When_a_scalar_is_bound_to_a_label_option_it_reads_as_the_text_of_a_column_value(string scalar, string expected) =>
        Assert.That(FromYaml(scalar).PositiveLabel, Is.EqualTo(expected));

    [Test]
    public void When_the_option_is_null_it_stays_null() =>
        Assert.That(FromYaml("null").PositiveLabel, Is.Null);

    [Test]
    public void When_the_option_is_a_list_the_problem_names_it()
    {
        var problems = new List<string>();
        var options = OptionsBinder.Bind(typeof(LabelOptions), new JsonObject { ["positive_label"] = new JsonArray(1, 2) }, (_, m) => m.First(), problems);
        Assert.That(options, Is.Null);
        Assert.That(problems, Is.EqualTo(new[] { "'positive_label' must be text. You entered a list." }));
    }

    [Test]
    public void When_bound_options_are_written_back_the_label_is_text_so_1_and_quoted_1_share_a_fingerprint() =>
        Assert.That(OptionsBinder.ToJson(FromYaml("1")).ToJsonString(), Is.EqualTo(OptionsBinder.ToJson(FromYaml("\"1\"")).ToJsonString()));
}
