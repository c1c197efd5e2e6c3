using System.Text.Json.Nodes;
using Pipelines.Core.Reporting;

namespace Pipelines.Stages.Dedup;

/// <summary>Builds the dedup report (JSON data first, HTML rendered from it).</summary>
internal static class DedupReport
{
    /// <summary>The clusters shown with examples: the largest first, ties by id.</summary>
    public static IReadOnlyList<DuplicateCluster> LargestClusters(DedupOutcome outcome) =>
        outcome.Clusters.OrderByDescending(c => c.Rows.Count).ThenBy(c => c.Id).Take(DedupConstants.LargestClustersInReport).ToArray();

    /// <summary>Rows whose text the report shows.</summary>
    public static IEnumerable<int> ExampleRows(IReadOnlyList<DuplicateCluster> largest) =>
        largest.SelectMany(c => c.Rows.Where(r => r != c.KeptRow).Take(DedupConstants.ExamplesPerCluster).Prepend(c.KeptRow));

    public static JsonObject Build(DedupOutcome outcome, DedupOptions options, IReadOnlyDictionary<int, string> texts)
    {
        var histogram = new JsonObject();
        foreach (var group in outcome.Clusters.GroupBy(c => c.Rows.Count).OrderBy(g => g.Key))
        {
            histogram[group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = group.Count();
        }

        var largest = new JsonArray();
        foreach (var cluster in LargestClusters(outcome))
        {
            var examples = new JsonArray();
            foreach (int row in cluster.Rows.Where(r => r != cluster.KeptRow).Take(DedupConstants.ExamplesPerCluster))
            {
                examples.Add(new JsonObject { ["row"] = row, ["text"] = Clip(texts.GetValueOrDefault(row)) });
            }

            largest.Add(new JsonObject
            {
                ["cluster_id"] = cluster.Id,
                ["size"] = cluster.Rows.Count,
                ["kept_row"] = cluster.KeptRow,
                ["kept_text"] = Clip(texts.GetValueOrDefault(cluster.KeptRow)),
                ["removed_examples"] = examples,
            });
        }

        var report = new JsonObject
        {
            ["rows_in"] = outcome.RowsIn,
            ["rows_out"] = outcome.RowsOut,
            ["duplicates_removed"] = outcome.Records.Count,
            ["exact_removed"] = outcome.Count(DuplicateKind.Exact),
            ["near_removed"] = outcome.Count(DuplicateKind.Near),
            ["across_removed"] = outcome.AcrossCount,
            ["clusters"] = outcome.Clusters.Count,
            ["mode"] = options.Mode == DedupMode.Exact ? "exact" : "near",
            ["columns"] = new JsonArray(options.Columns.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            ["keep"] = options.Keep.ToString().ToLowerInvariant(),
            ["cluster_size_histogram"] = histogram,
            ["largest_clusters"] = largest,
        };
        if (outcome.Within is { } within)
        {
            report["threshold"] = options.Threshold;
            report["num_perm"] = options.NumPerm;
            report["ngram_size"] = options.NgramSize;
            report["bands"] = within.Lsh.Bands;
            report["rows_per_band"] = within.Lsh.Rows;
            report["verify"] = options.Verify;
            report["candidate_pairs"] = within.CandidatePairs;
            report["rejected_by_verification"] = within.RejectedByVerification;
        }

        return report;
    }

    public static Task WriteAsync(string directory, JsonObject report, CancellationToken cancellationToken) =>
        Html(report).WriteAsync(directory, report, cancellationToken);

    private static HtmlReport Html(JsonObject report)
    {
        var html = new HtmlReport("Deduplication report");
        string[] keys = ["rows_in", "rows_out", "duplicates_removed", "exact_removed", "near_removed", "across_removed", "clusters"];
        html.KeyFigures(keys.Select(k => (k.Replace('_', ' '), (object?)report[k]!.GetValue<int>())));
        string[] settings = ["mode", "keep", "threshold", "num_perm", "ngram_size", "bands", "rows_per_band", "verify", "candidate_pairs", "rejected_by_verification"];
        html.Table(["setting", "value"], settings.Where(report.ContainsKey).Select(k => (IReadOnlyList<object?>)[k, report[k]!.ToJsonString().Trim('"')]), "Settings");
        var histogram = report["cluster_size_histogram"]!.AsObject();
        html.Heading("Cluster sizes").Chart("Clusters by number of rows", new JsonArray(new JsonObject
        {
            ["type"] = "bar",
            ["x"] = new JsonArray(histogram.Select(kv => (JsonNode)JsonValue.Create(kv.Key)!).ToArray()),
            ["y"] = new JsonArray(histogram.Select(kv => (JsonNode)JsonValue.Create(kv.Value!.GetValue<int>())!).ToArray()),
        }), new JsonObject { ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "rows in cluster" }, ["type"] = "category" }, ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "clusters" } } });
        html.Heading("Largest clusters");
        foreach (var node in report["largest_clusters"]!.AsArray())
        {
            var c = node!.AsObject();
            var rows = new List<IReadOnlyList<object?>>();
            rows.Add(["kept", c["kept_row"]!.GetValue<int>(), c["kept_text"]?.GetValue<string>()]);
            rows.AddRange(c["removed_examples"]!.AsArray().Select(e => (IReadOnlyList<object?>)["removed", e!["row"]!.GetValue<int>(), e["text"]?.GetValue<string>()]));
            html.Table(["role", "row", "text"], rows, $"Cluster {c["cluster_id"]} ({c["size"]} rows)");
        }

        return html;
    }

    private static string? Clip(string? text) =>
        text is null || text.Length <= DedupConstants.ExampleTextLength ? text : text[..DedupConstants.ExampleTextLength] + "…";
}
