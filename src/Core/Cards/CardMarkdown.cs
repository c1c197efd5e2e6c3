using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipelines.Core.Cards;

/// <summary>Writes a <see cref="Card"/> as Markdown: a Hugging Face model card (<c>README.md</c>, YAML front matter) and a data card.</summary>
public static class CardMarkdown
{
    /// <summary>The model card's file name, as the Hub reads it.</summary>
    public const string ModelCardFile = "README.md";

    /// <summary>The data card's file name, linked from the model card.</summary>
    public const string DataCardFile = "data_card.md";

    /// <summary>The model card: front matter, then the training and evaluation sections, then a link to the data card.</summary>
    public static string ModelCard(Card card)
    {
        var text = new StringBuilder();
        text.Append("---\n").Append(FrontMatter(card)).Append("---\n\n");
        text.Append(CultureInfo.InvariantCulture, $"# {card.Pipeline} / {card.Stage}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"A {(card.Header.TaskType == "text-generation" ? "language-model" : "classification")} adapter (LoRA, PEFT's format) written by the `{card.Stage}` stage of the pipeline `{card.Pipeline}`. ");
        text.Append("Every figure below was read from `pipelines.lock`, the run cache and the stages' artifacts by `pipelines card`; none was typed.\n\n");
        foreach (var section in card.Model) AppendSection(text, section);
        text.Append(CultureInfo.InvariantCulture, $"## Training data\n\nSources, cleaning, bias checks, synthetic data and the hyperparameter search are in the data card, [{DataCardFile}]({DataCardFile}).\n");
        return text.ToString();
    }

    /// <summary>The data card: every section about the data the model was trained on, and the environment.</summary>
    public static string DataCard(Card card)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"# Data card: {card.Pipeline} / {card.Stage}\n\n");
        text.Append(CultureInfo.InvariantCulture, $"The data `{card.Stage}` was trained on, from source files to training rows, and how it was examined. Read from `pipelines.lock`, the run cache and the stages' artifacts by `pipelines card`.\n\n");
        foreach (var section in card.Data) AppendSection(text, section);
        return text.ToString();
    }

    private static void AppendSection(StringBuilder text, CardSection section)
    {
        text.Append(CultureInfo.InvariantCulture, $"## {section.Title}\n\n");
        foreach (var fact in section.Facts) text.Append(CultureInfo.InvariantCulture, $"- **{Cell(fact.Label)}**: {Cell(fact.Value)}\n");
        if (section.Facts.Count > 0) text.Append('\n');
        foreach (var table in section.Tables)
        {
            text.Append(CultureInfo.InvariantCulture, $"{table.Caption}:\n\n");
            text.Append("| ").Append(string.Join(" | ", table.Headers.Select(Cell))).Append(" |\n");
            text.Append('|').Append(string.Concat(table.Headers.Select(_ => "---|"))).Append('\n');
            foreach (var row in table.Rows) text.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
            text.Append('\n');
        }
    }

    /// <summary>A Markdown table cell: pipes escaped, line breaks as spaces.</summary>
    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace('\n', ' ');

    private static string FrontMatter(Card card)
    {
        var header = card.Header;
        var root = new YamlMappingNode { { "license", Quoted(header.License) } };
        if (header.BaseModel is not null) root.Add("base_model", Quoted(header.BaseModel));
        root.Add("library_name", "peft");
        root.Add("pipeline_tag", header.TaskType);
        root.Add("tags", new YamlSequenceNode(new YamlScalarNode("pipelines"), new YamlScalarNode("lora")));
        if (header.Datasets.Count > 0) root.Add("datasets", new YamlSequenceNode(header.Datasets.Select(d => (YamlNode)Quoted(d))));
        if (header.Results.Count > 0)
        {
            root.Add("metrics", new YamlSequenceNode(header.Results.Select(r => (YamlNode)new YamlScalarNode(r.Type))));
            var metrics = new YamlSequenceNode(header.Results.Select(r => (YamlNode)new YamlMappingNode
            {
                { "type", r.Type },
                { "value", new YamlScalarNode(Math.Round(r.Value, 6).ToString(CultureInfo.InvariantCulture)) },
                { "name", Quoted(r.Name) },
            }));
            var result = new YamlMappingNode
            {
                { "task", new YamlMappingNode { { "type", header.TaskType } } },
                { "dataset", new YamlMappingNode { { "name", Quoted(header.EvaluationDataset ?? "held-out rows") }, { "type", Quoted(card.Pipeline) } } },
                { "metrics", metrics },
            };
            root.Add("model-index", new YamlSequenceNode(new YamlMappingNode
            {
                { "name", Quoted($"{card.Pipeline}-{card.Stage}") },
                { "results", new YamlSequenceNode(result) },
            }));
        }
        using var writer = new StringWriter(CultureInfo.InvariantCulture);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString().Replace("\n...\n", "\n", StringComparison.Ordinal);
    }

    private static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };
}
