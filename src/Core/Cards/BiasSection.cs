namespace Pipelines.Core.Cards;

/// <summary>The bias checks on the lineage's data, before and after augmentation: disparate impact per attribute and violations.</summary>
internal sealed class BiasSection : ICardSection
{
    private const string DisparateImpact = "disparate_impact.";

    public Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var checks = lineage.OfKind("bias").ToList();
        if (checks.Count == 0) return Task.FromResult<CardSection?>(null);
        var attributes = checks.SelectMany(c => c.Summary.Select(p => p.Key)).Where(k => k.StartsWith(DisparateImpact, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var rows = checks.Select(c => (IReadOnlyList<string>)
        [
            c.Id, c.InputFrom("table") ?? "-", Augmented(lineage, c) ? "after" : "before", CardFormat.Of(c.Summary["rows_in"]),
            .. attributes.Select(a => CardFormat.Of(c.Summary[a])), CardFormat.Of(c.Summary["bias_violations"]),
        ]).ToList();
        var label = checks[0].Param("label");
        var positive = checks[0].Param("positive_label");
        return Task.FromResult<CardSection?>(new CardSection("Bias",
            [new CardFact("label", $"{label ?? "-"} (positive: {positive ?? "-"})"),
             new CardFact("disparate impact", "positive rate of each group over the most favoured group's; below 0.8 fails the four-fifths rule")],
            [new CardTable("Bias checks", ["stage", "data", "augmentation", "rows", .. attributes.Select(a => "disparate impact " + a[DisparateImpact.Length..]), "violations"], rows)]));
    }

    /// <summary>Whether the checked table came out of a synthesize stage (directly or further up).</summary>
    private static bool Augmented(CardLineage lineage, LineageStage check)
    {
        var pending = new Stack<LineageStage>();
        if (lineage.Producer(check.InputFrom("table")) is { } first) pending.Push(first);
        while (pending.TryPop(out var stage))
        {
            if (stage.Kind == "synthesize") return true;
            foreach (var input in stage.Locked.Inputs.Values)
                if (lineage.Producer(input.Reference) is { } producer) pending.Push(producer);
        }
        return false;
    }
}
