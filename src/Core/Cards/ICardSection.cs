namespace Pipelines.Core.Cards;

/// <summary>Describes one concern of a card (sources, cleaning, bias, ...) from the lineage; null when the lineage has none of it.</summary>
internal interface ICardSection
{
    Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken);
}
