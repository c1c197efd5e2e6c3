namespace Pipelines.Core.Cards;

/// <summary>How the rows were split into training, validation and test sets.</summary>
internal sealed class SplitSection : ICardSection
{
    public Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var rows = lineage.OfKind("split").Where(lineage.FeedsTarget)
            .Select(s => (IReadOnlyList<string>)[s.Id, CardFormat.Of(s.Summary["rows_in"]), CardFormat.Of(s.Summary["train"]), CardFormat.Of(s.Summary["validation"]),
                CardFormat.Of(s.Summary["test"]), s.Param("stratify_by") ?? "-", s.Param("key") ?? "-"])
            .ToList();
        return Task.FromResult<CardSection?>(rows.Count == 0 ? null : new CardSection("Split", [],
            [new CardTable("Rows per set", ["stage", "rows in", "train", "validation", "test", "stratified by", "grouped by key"], rows)]));
    }
}
