namespace Pipelines.Core.Cards;

/// <summary>What validation found and what exact, near-duplicate and contamination checks removed on the way to the target.</summary>
internal sealed class CleaningSection : ICardSection
{
    public Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var rows = new List<IReadOnlyList<string>>();
        foreach (var stage in lineage.Stages.Where(lineage.FeedsTarget))
        {
            if (stage.Kind == "validate")
            {
                string policy = stage.Param("fail_on_violation") == "false" ? "kept (warn only)" : "the run stops on any";
                rows.Add([stage.Id, "validate against " + (stage.InputFrom("schema") ?? "its schema"), CardFormat.Of(stage.Summary["rows"]),
                    CardFormat.Of(stage.Summary["rows"]), "0", $"{CardFormat.Of(stage.Summary["violations"])} violations; {policy}"]);
            }
            else if (stage.Kind == "dedup")
            {
                string mode = stage.Param("mode") ?? "exact";
                string how = mode == "exact" ? "exact duplicates" : $"{mode} duplicates (threshold {stage.Param("threshold") ?? "-"})";
                if (stage.InputFrom("across") is { } across) how += $", and contamination with {across}";
                rows.Add([stage.Id, how, CardFormat.Of(stage.Summary["rows_in"]), CardFormat.Of(stage.Summary["rows_out"]),
                    CardFormat.Of(stage.Summary["duplicates_removed"]),
                    $"exact {CardFormat.Of(stage.Summary["exact_removed"])}, near {CardFormat.Of(stage.Summary["near_removed"])}, across {CardFormat.Of(stage.Summary["across_removed"])}"]);
            }
        }
        return Task.FromResult<CardSection?>(rows.Count == 0 ? null : new CardSection("Cleaning", [],
            [new CardTable("Rows checked and removed", ["stage", "check", "rows in", "rows out", "removed", "detail"], rows)]));
    }
}
