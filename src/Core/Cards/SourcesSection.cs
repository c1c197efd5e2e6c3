namespace Pipelines.Core.Cards;

/// <summary>Every source file the target's data came from: its content hash (xxHash128, as the lock has it), licence and rows.</summary>
internal sealed class SourcesSection : ICardSection
{
    public Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var ingest in lineage.OfKind("ingest").Where(lineage.FeedsTarget))
        {
            var source = ingest.Locked.Inputs.GetValueOrDefault("source");
            var schema = ingest.Locked.Inputs.GetValueOrDefault("schema");
            rows.Add([ingest.Id, source.Reference ?? "-", source.Hash ?? "-", ingest.Param("license") ?? "not declared",
                CardFormat.Of(ingest.Summary["rows_out"]), CardFormat.Of(ingest.Summary["columns"]), CardFormat.Of(ingest.Summary["bad_rows"]),
                schema.Reference is null ? "-" : $"{schema.Reference} ({schema.Hash})"]);
        }
        return Task.FromResult<CardSection?>(rows.Count == 0 ? null : new CardSection("Sources", [],
            [new CardTable("Source files (content hash: xxHash128 of the bytes, as in pipelines.lock)",
                ["stage", "file", "content hash", "licence", "rows", "columns", "bad rows", "data schema"], rows)]));
    }
}
