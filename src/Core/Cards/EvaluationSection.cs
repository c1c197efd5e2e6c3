using System.Text.Json.Nodes;

namespace Pipelines.Core.Cards;

/// <summary>The evaluation of the target on held-out rows: overall and per group, against every model it was compared with.</summary>
internal sealed class EvaluationSection : ICardSection
{
    public async Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var facts = new List<CardFact>();
        var tables = new List<CardTable>();
        foreach (var eval in Evaluations(lineage))
        {
            if (await eval.ReadJsonAsync("report", "report.json", cancellationToken).ConfigureAwait(false) is not JsonObject report) continue;
            facts.Add(new CardFact(eval.Id + ": test data", $"{eval.InputFrom("data") ?? "-"}, {CardFormat.Of(report["rows"])} rows"));
            var models = report.Where(p => p.Value is JsonObject m && m.ContainsKey("accuracy")).ToList();
            string self = TargetKey(lineage, eval);
            tables.Add(new CardTable(eval.Id + ": overall", ["model", "accuracy", "macro-F1"],
                models.Select(m => (IReadOnlyList<string>)[Name(m.Key, self), CardFormat.Of(m.Value!["accuracy"]), CardFormat.Of(m.Value!["macro_f1"])]).ToList()));
            var groups = new List<IReadOnlyList<string>>();
            foreach (var (model, figures) in models)
                foreach (var column in figures!["groups"]?.AsArray() ?? [])
                    foreach (var group in column!["groups"]?.AsArray() ?? [])
                        groups.Add([column["column"]?.GetValue<string>() ?? "-", group!["group"]?.GetValue<string>() ?? "-", Name(model, self),
                            CardFormat.Of(group["count"]), CardFormat.Of(group["accuracy"]), CardFormat.Of(group["selection_rate"]),
                            CardFormat.Of(group["true_positive_rate"]), CardFormat.Of(group["false_positive_rate"])]);
            if (groups.Count > 0)
                tables.Add(new CardTable(eval.Id + ": per group", ["attribute", "group", "model", "rows", "accuracy", "selection rate", "true positive rate", "false positive rate"],
                    groups.OrderBy(g => g[0], StringComparer.Ordinal).ThenBy(g => g[1], StringComparer.Ordinal).ToList()));
        }
        return facts.Count == 0 ? null : new CardSection("Evaluation", facts, tables);
    }

    /// <summary>The eval stages that scored one of the target's outputs.</summary>
    internal static IEnumerable<LineageStage> Evaluations(CardLineage lineage) =>
        lineage.OfKind("eval").Where(e => e.Locked.Inputs.Values.Any(i => lineage.Producer(i.Reference) == lineage.Target));

    /// <summary>Which model of eval's report is the target: <c>adapter</c>, or <c>compare</c> when the target is what eval compares with.</summary>
    internal static string TargetKey(CardLineage lineage, LineageStage eval) =>
        eval.Locked.Inputs.Any(i => i.Key == "compare_adapter" && lineage.Producer(i.Value.Reference) == lineage.Target) ? "compare" : "adapter";

    private static string Name(string key, string self) => key == self ? "this model" : key switch
    {
        "adapter" => "adapter (eval's adapter input)",
        "compare" => "compared model (compare_adapter)",
        "base" => "base model",
        _ => key.Replace('_', ' '),
    };
}
