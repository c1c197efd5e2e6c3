namespace Pipelines.Core.Cards;

/// <summary>One part of a data or model card: a titled list of figures and tables, each read from the lineage.</summary>
/// <param name="Title">The heading (<c>Sources</c>, <c>Bias</c>, ...).</param>
/// <param name="Facts">Label and value pairs, in reading order.</param>
/// <param name="Tables">Tables that follow the facts.</param>
public sealed record CardSection(string Title, IReadOnlyList<CardFact> Facts, IReadOnlyList<CardTable> Tables)
{
    /// <summary>A section of facts only.</summary>
    public CardSection(string title, IReadOnlyList<CardFact> facts) : this(title, facts, []) { }
}

/// <summary>A labelled figure, already formatted for reading.</summary>
public sealed record CardFact(string Label, string Value);

/// <summary>A table of a card section: a caption, column headers and formatted cells.</summary>
public sealed record CardTable(string Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows);
