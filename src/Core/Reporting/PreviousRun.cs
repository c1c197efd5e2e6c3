using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pipelines.Core.Reporting;

/// <summary>Finds the run log of the run before a given one, of the same pipeline, in <c>.pipelines/runs/</c>.</summary>
internal static class PreviousRun
{
    /// <summary>Run ids begin with their UTC start second, <c>yyyyMMddTHHmmssZ</c>; the rest is random.</summary>
    private const int SecondPrefixLength = 16;

    /// <summary>
    /// The newest run log in <paramref name="runsDirectory"/> started before <paramref name="log"/> with the same
    /// pipeline name, or null. File names sort by start second, so logs are read newest first and the search stops
    /// once it has a match and has seen every log of that second (ids within one second are in random order).
    /// </summary>
    public static JsonObject? Find(string runsDirectory, JsonObject log)
    {
        if (log["run_id"]?.GetValue<string>() is not { } runId || !Directory.Exists(runsDirectory)) return null;
        string pipeline = log["pipeline"]?.GetValue<string>() ?? "";
        string started = log["started"]?.GetValue<string>() ?? "";
        string second = Prefix(runId);
        var older = Directory.EnumerateFiles(runsDirectory, "*.json")
            .Select(Path.GetFileNameWithoutExtension)
            .Where(name => name != "latest" && name != runId && string.CompareOrdinal(Prefix(name!), second) <= 0)
            .OrderDescending(StringComparer.Ordinal);
        JsonObject? best = null;
        string bestStarted = "";
        foreach (var name in older)
        {
            if (best is not null && string.CompareOrdinal(Prefix(name!), Prefix(best["run_id"]!.GetValue<string>())) < 0) break;
            JsonObject? candidate;
            try { candidate = JsonNode.Parse(File.ReadAllText(Path.Combine(runsDirectory, name + ".json"))) as JsonObject; }
            catch (JsonException) { continue; } // a damaged log is no comparison, not a reason to lose the report
            string candidateStarted = candidate?["started"]?.GetValue<string>() ?? "";
            // "O" timestamps of UTC times sort as text.
            if (candidate?["pipeline"]?.GetValue<string>() != pipeline || string.CompareOrdinal(candidateStarted, started) >= 0) continue;
            if (best is null || string.CompareOrdinal(candidateStarted, bestStarted) > 0) (best, bestStarted) = (candidate, candidateStarted);
        }
        return best;
    }

    private static string Prefix(string runId) => runId.Length < SecondPrefixLength ? runId : runId[..SecondPrefixLength];
}
