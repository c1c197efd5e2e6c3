using System.Text.Json.Nodes;

namespace Pipelines.Core.Cards;

/// <summary>The hyperparameter search: objective, space, trials and the best trial's params.</summary>
internal sealed class SearchSection : ICardSection
{
    private const string SpacePrefix = "search_space.";

    public async Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var facts = new List<CardFact>();
        var tables = new List<CardTable>();
        foreach (var tune in lineage.OfKind("tune"))
        {
            string prefix = tune.Id + ": ";
            facts.Add(new CardFact(prefix + "objective", $"{tune.Param("direction") ?? "-"} {tune.Param("metric") ?? "-"} of '{tune.Param("objective") ?? "-"}' trials"));
            facts.Add(new CardFact(prefix + "sampler and pruner", $"{tune.Param("sampler.type") ?? "-"}, {tune.Param("pruner.type") ?? "none"}"));
            facts.Add(new CardFact(prefix + "trials", $"{CardFormat.Of(tune.Summary["trials"])} ({CardFormat.Of(tune.Summary["complete"])} complete, " +
                $"{CardFormat.Of(tune.Summary["pruned"])} pruned, {CardFormat.Of(tune.Summary["failed"])} failed)"));
            var space = tune.Locked.Params.Where(p => p.Key.StartsWith(SpacePrefix, StringComparison.Ordinal))
                .GroupBy(p => ParamName(p.Key[SpacePrefix.Length..]), StringComparer.Ordinal)
                .Select(g => (IReadOnlyList<string>)[g.Key, string.Join(", ", g.Select(p => $"{p.Key[(SpacePrefix.Length + g.Key.Length + 1)..]} {p.Value}"))])
                .ToList();
            if (space.Count > 0) tables.Add(new CardTable(tune.Id + ": search space", ["param", "distribution"], space));
            if (await tune.ReadJsonAsync("best_params", cancellationToken: cancellationToken).ConfigureAwait(false) is JsonObject best)
            {
                facts.Add(new CardFact(prefix + "best trial", $"#{CardFormat.Of(best["trial"])} with {best["metric"]} {CardFormat.Of(best["value"])}"));
                if (best["params"] is JsonObject chosen)
                    tables.Add(new CardTable(tune.Id + ": best params", ["param", "value"],
                        chosen.Select(p => (IReadOnlyList<string>)[p.Key, CardFormat.Of(p.Value)]).ToList()));
            }
        }
        return facts.Count == 0 ? null : new CardSection("Hyperparameter search", facts, tables);
    }

    /// <summary>The searched param of a flattened key: <c>lora.r</c> of <c>lora.r.categorical</c>.</summary>
    private static string ParamName(string key)
    {
        int last = key.LastIndexOf('.');
        return last < 0 ? key : key[..last];
    }
}
