using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Core.Caching;

namespace Pipelines.Core.Cards;

/// <summary>
/// The environment the target was produced in (the run log's record: tool version and commit, runtime, OS, CPU,
/// device) and the library versions each stage declared (the lock's record).
/// </summary>
internal sealed class EnvironmentSection(Workspace workspace) : ICardSection
{
    public async Task<CardSection?> DescribeAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        var facts = new List<CardFact>();
        if (await ProducingRunAsync(lineage, cancellationToken).ConfigureAwait(false) is { } run)
        {
            facts.Add(new CardFact("run", $"{run["run_id"]} (started {run["started"]})"));
            if (run["environment"] is JsonObject environment)
                facts.AddRange(environment.Select(p => new CardFact(p.Key.Replace('_', ' '), p.Value?.ToString() ?? "-")));
        }
        else
        {
            facts.Add(new CardFact("run", "no run log in .pipelines/runs/ ran this stage with the locked fingerprint"));
        }
        var libraries = lineage.Stages.Where(s => s.Locked.Libraries.Count > 0)
            .Select(s => (IReadOnlyList<string>)[s.Id, string.Join(", ", s.Locked.Libraries.Select(l => $"{l.Key} {l.Value}"))]).ToList();
        return new CardSection("Environment", facts, libraries.Count == 0 ? [] : [new CardTable("Libraries each stage declared", ["stage", "libraries"], libraries)]);
    }

    /// <summary>The newest run log in which the target ran with the fingerprint the lock records.</summary>
    private async Task<JsonObject?> ProducingRunAsync(CardLineage lineage, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(workspace.RunsDirectory)) return null;
        foreach (var file in Directory.EnumerateFiles(workspace.RunsDirectory, "*.json").Where(f => Path.GetFileName(f) != "latest.json").OrderDescending(StringComparer.Ordinal))
        {
            JsonObject? log;
            try { log = JsonNode.Parse(await File.ReadAllTextAsync(file, cancellationToken).ConfigureAwait(false)) as JsonObject; }
            catch (JsonException) { continue; }
            if (log?["pipeline"]?.GetValue<string>() != lineage.Pipeline) continue;
            bool ran = log["stages"]?.AsArray().Any(s => s?["id"]?.GetValue<string>() == lineage.Target.Id && s["status"]?.GetValue<string>() == "ran"
                && s["fingerprint"]?.GetValue<string>() == lineage.Target.Locked.Fingerprint) == true;
            if (ran) return log;
        }
        return null;
    }
}
