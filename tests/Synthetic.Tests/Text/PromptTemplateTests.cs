using NUnit.Framework;
using Pipelines.Synthetic.Text;

namespace Pipelines.Synthetic.Tests.Text;

public sealed class PromptTemplateTests
{
    [Test]
    public void Placeholders_are_filled_from_the_row()
    {
        var template = PromptTemplate.Parse("Rewrite this {label} ticket: {text}");
        var row = new Dictionary<string, string?> { ["label"] = "billing", ["text"] = "I was charged twice." };

        Assert.That(template.Fill(row), Is.EqualTo("Rewrite this billing ticket: I was charged twice."));
        Assert.That(template.Placeholders, Is.EqualTo(new[] { "label", "text" }));
    }

    [Test]
    public void Doubled_braces_are_literal_braces_and_null_values_are_empty()
    {
        var template = PromptTemplate.Parse("{{json}}: {text}!");

        Assert.That(template.Fill(new Dictionary<string, string?> { ["text"] = null }), Is.EqualTo("{json}: !"));
    }

    [Test]
    public void A_placeholder_that_is_not_a_column_is_named_in_the_error_with_the_columns()
    {
        var template = PromptTemplate.Parse("Rewrite this {lable} ticket: {text}");
        var row = new Dictionary<string, string?> { ["label"] = "billing", ["text"] = "x" };

        var ex = Assert.Throws<ArgumentException>(() => template.Fill(row, 3));

        Assert.That(ex!.Message, Does.StartWith("Row 3 has no column 'lable' for the prompt template's '{lable}'. Columns: label, text."));
        Assert.That(() => template.Validate(["label", "text"]), Throws.ArgumentException.With.Message.Contains("there is no column 'lable'"));
    }

    [Test]
    public void An_unclosed_placeholder_is_rejected_with_its_position()
    {
        var ex = Assert.Throws<ArgumentException>(() => PromptTemplate.Parse("Rewrite {label ticket"));

        Assert.That(ex!.Message, Does.Contain("unclosed '{' at character 9"));
    }

    [Test]
    public void A_lone_closing_brace_is_rejected()
    {
        Assert.That(() => PromptTemplate.Parse("a } b"), Throws.ArgumentException.With.Message.Contains("'}' without a matching '{' at character 3"));
    }
}
