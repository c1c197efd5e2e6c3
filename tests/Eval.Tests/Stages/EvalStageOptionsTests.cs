using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Core.Definition;

namespace Pipelines.Eval.Tests;

/// <summary>Issue 16: <c>positive_label</c> binds as users write it, whatever YAML type the scalar has.</summary>
public class EvalStageOptionsTests
{
    [TestCase("1", "1")]
    [TestCase("1.0", "1")]
    [TestCase("true", "true")]
    [TestCase("\"spam\"", "spam")]
    public void When_positive_label_is_a_number_or_boolean_it_binds_as_the_labels_text(string json, string expected)
    {
        var options = OptionsBinder.Bind<EvalStageOptions>(JsonNode.Parse($$"""{"task": "classification", "positive_label": {{json}}}""")!.AsObject());
        Assert.That(options.PositiveLabel, Is.EqualTo(expected));
    }
}
