using System.Text.Json.Nodes;

namespace Pipelines.Core.Cards;

/// <summary>The synthetic rows mixed into the training data: method, share, and their quality and privacy scores.</summary>
internal sealed class SyntheticSection : ICardSection
{
    public async Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var facts = new List<CardFact>();
        foreach (var stage in lineage.OfKind("synthesize").Where(lineage.FeedsTarget))
        {
            var report = await stage.ReadJsonAsync("report", "report.json", cancellationToken).ConfigureAwait(false);
            double? real = stage.Figure("rows_in");
            double? synthetic = stage.Figure("rows_out");
            bool mixed = stage.Param("mix") == "true";
            string prefix = stage.Id + ": ";
            facts.Add(new CardFact(prefix + "method", stage.Param("method") ?? "-"));
            var conditions = stage.Locked.Params.Where(p => p.Key.StartsWith("conditions.", StringComparison.Ordinal))
                .Select(p => $"{p.Key["conditions.".Length..]} = {p.Value}").ToList();
            if (conditions.Count > 0) facts.Add(new CardFact(prefix + "conditioned on", string.Join(", ", conditions)));
            facts.Add(new CardFact(prefix + "rows", $"{CardFormat.Of(stage.Summary["rows_out"])} synthetic beside {CardFormat.Of(stage.Summary["rows_in"])} real"));
            if (mixed && real is > 0 && synthetic is { } s)
                facts.Add(new CardFact(prefix + "synthetic share of the mixed table", CardFormat.Share(s / (real.Value + s))));
            facts.Add(new CardFact(prefix + "quality score (column shapes and pair trends, 0-1)", CardFormat.Of(report?["quality"]?["overall_score"] ?? stage.Summary["quality_score"])));
            if (report?["privacy"] is { } privacy)
            {
                facts.Add(new CardFact(prefix + "distance to the closest training row, synthetic over held-out real rows (ratio of means; at least 1: no closer than unseen real rows)",
                    CardFormat.Of(privacy["dcr_ratio"])));
                if (privacy["exact_copy_share"] is JsonValue copies && copies.TryGetValue(out double share))
                    facts.Add(new CardFact(prefix + "synthetic rows that copy a training row", CardFormat.Share(share)));
            }
        }
        return facts.Count == 0 ? null : new CardSection("Synthetic data", facts);
    }
}
