using Pipelines.Core.Reporting;

namespace Pipelines.Core.Cards;

/// <summary>Adds a <see cref="Card"/> to an HTML report: the model card's results, then each section's figures and tables.</summary>
public static class CardHtml
{
    /// <summary>Appends the card under one heading.</summary>
    public static void AddTo(HtmlReport report, Card card)
    {
        report.Heading($"Card: {card.Stage}");
        var header = card.Header;
        report.Paragraph($"Model and data card of '{card.Stage}', read from pipelines.lock, the run cache and the artifacts " +
                         $"(`pipelines card --stage {card.Stage}` writes them as README.md and {CardMarkdown.DataCardFile} beside the adapter files).");
        report.KeyFigures([("base model", header.BaseModel ?? "trained here"), ("licence", header.License), ("datasets", string.Join(", ", header.Datasets)),
            .. header.Results.Select(r => (r.Name, (object?)r.Value))]);
        foreach (var section in card.Model.Concat(card.Data))
        {
            report.Heading(section.Title, level: 3);
            if (section.Facts.Count > 0) report.Table(["", "value"], section.Facts.Select(f => (IReadOnlyList<object?>)[f.Label, f.Value]));
            foreach (var table in section.Tables) report.Table(table.Headers, table.Rows.Select(r => (IReadOnlyList<object?>)r.ToArray()), table.Caption);
        }
    }
}
