using System.Text.Json.Nodes;
using Pipelines.Core.Reporting;

namespace Pipelines.Stages.Dedup;

/// <summary>Builds the dedup report (JSON data first, HTML rendered from it).</summary>
internal static class DedupReport
{
    /// <summary>The clusters shown with examples: the largest first, ties by id.</summary>
    public static IReadOnlyList<DuplicateCluster> LargestClusters(DedupOutcome outcome) =>
        ClusterReportJson.Largest(outcome.Clusters);

    /// <summary>Rows whose text the report shows.</summary>
    public static IEnumerable<int> ExampleRows(IReadOnlyList<DuplicateCluster> largest) =>
        largest.SelectMany(c => c.Rows.Where(r => r != c.KeptRow).Take(DedupConstants.ExamplesPerCluster).Prepend(c.KeptRow));

    /// <summary>
    /// The report data. <paramref name="texts"/> holds the compared text of the table rows it shows,
    /// <paramref name="acrossTexts"/> that of the <c>across</c> rows matched.
    /// </summary>
    public static JsonObject Build(DedupOutcome outcome, DedupOptions options, IReadOnlyDictionary<int, string> texts, IReadOnlyDictionary<int, string> acrossTexts)
    {
        var histogram = ClusterReportJson.SizeHistogram(outcome.Clusters);
        var largest = ClusterReportJson.LargestClusters(outcome.Clusters, texts);

        var report = new JsonObject
        {
            ["rows_in"] = outcome.RowsIn,
            ["rows_out"] = outcome.RowsOut,
            ["duplicates_removed"] = outcome.Records.Count,
            ["exact_removed"] = outcome.Count(DuplicateKind.Exact),
            ["near_removed"] = outcome.Count(DuplicateKind.Near),
            ["across_removed"] = outcome.AcrossCount,
            // A contamination run removes rows without forming table clusters: each matched across row is a group too.
            ["clusters"] = outcome.Clusters.Count + outcome.AcrossMatchedRows,
            ["table_clusters"] = outcome.Clusters.Count,
            ["across_clusters"] = outcome.AcrossMatchedRows,
            ["mode"] = options.Mode == DedupMode.Exact ? "exact" : "near",
            ["columns"] = new JsonArray(options.Columns.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            ["keep"] = options.Keep.ToString().ToLowerInvariant(),
            ["cluster_size_histogram"] = histogram,
            ["largest_clusters"] = largest,
            ["duplicate_pairs"] = Pairs(outcome, texts, acrossTexts),
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

        if (outcome.Across is { } across)
        {
            report["across_candidate_pairs"] = across.CandidatePairs;
            report["across_rejected_by_verification"] = across.RejectedByVerification;
        }

        return report;
    }

    // Per section: how many rows it removed and the first of them beside the row each duplicates.
    private static JsonObject Pairs(DedupOutcome outcome, IReadOnlyDictionary<int, string> texts, IReadOnlyDictionary<int, string> acrossTexts)
    {
        var sections = new JsonObject();
        foreach (string section in ReportedPairs.Sections)
        {
            var shown = new JsonArray();
            foreach (var record in ReportedPairs.Shown(outcome, section))
            {
                var keptTexts = record.Across ? acrossTexts : texts;
                shown.Add(new JsonObject
                {
                    ["removed_row"] = record.RemovedRow,
                    ["removed_text"] = Clip(texts.GetValueOrDefault((int)record.RemovedRow)),
                    ["matched"] = record.Across ? "across" : "table",
                    ["kept_row"] = record.KeptRow,
                    ["kept_text"] = Clip(keptTexts.GetValueOrDefault((int)record.KeptRow)),
                    ["kind"] = record.Kind == DuplicateKind.Exact ? "exact" : "near",
                    ["cluster_id"] = record.ClusterId,
                    ["exact_jaccard"] = record.ExactJaccard,
                    ["estimated_jaccard"] = record.EstimatedJaccard,
                    ["linked_via_cluster"] = record.LinkedViaCluster,
                });
            }

            sections[section] = new JsonObject
            {
                ["removed"] = outcome.Records.Count(r => ReportedPairs.SectionOf(r) == section),
                ["shown"] = shown,
            };
        }

        return sections;
    }

    public static Task WriteAsync(string directory, JsonObject report, CancellationToken cancellationToken) =>
        Html(report).WriteAsync(directory, report, cancellationToken);

    private static HtmlReport Html(JsonObject report)
    {
        var html = new HtmlReport("Deduplication report");
        string[] keys = ["rows_in", "rows_out", "duplicates_removed", "exact_removed", "near_removed", "across_removed", "clusters", "table_clusters", "across_clusters"];
        html.KeyFigures(keys.Select(k => (k.Replace('_', ' '), (object?)report[k]!.GetValue<int>())));
        string[] settings = ["mode", "keep", "threshold", "num_perm", "ngram_size", "bands", "rows_per_band", "verify", "candidate_pairs", "rejected_by_verification", "across_candidate_pairs", "across_rejected_by_verification"];
        html.Table(["setting", "value"], settings.Where(report.ContainsKey).Select(k => (IReadOnlyList<object?>)[k, report[k]!.ToJsonString().Trim('"')]), "Settings");
        var histogram = report["cluster_size_histogram"]!.AsObject();
        html.Heading("Cluster sizes").Chart("Table clusters by number of rows", new JsonArray(new JsonObject
        {
            ["type"] = "bar",
            ["x"] = new JsonArray(histogram.Select(kv => (JsonNode)JsonValue.Create(kv.Key)!).ToArray()),
            ["y"] = new JsonArray(histogram.Select(kv => (JsonNode)JsonValue.Create(kv.Value!.GetValue<int>())!).ToArray()),
        }), new JsonObject { ["xaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "rows in cluster" }, ["type"] = "category" }, ["yaxis"] = new JsonObject { ["title"] = new JsonObject { ["text"] = "clusters" } } });
        PairTables(html, report["duplicate_pairs"]!.AsObject());
        html.Heading("Largest clusters");
        if (report["largest_clusters"]!.AsArray().Count == 0)
        {
            html.Paragraph("No clusters within the table.");
        }

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

    private static void PairTables(HtmlReport html, JsonObject pairs)
    {
        html.Heading("Removed rows beside the rows they duplicate");
        foreach (var (section, node) in pairs)
        {
            var shown = node!["shown"]!.AsArray();
            int removed = node["removed"]!.GetValue<int>();
            bool across = section == ReportedPairs.Across;
            var rows = shown.Select(p => (IReadOnlyList<object?>)
            [
                p!["removed_row"]!.GetValue<long>(),
                p["removed_text"]?.GetValue<string>(),
                p["kept_row"]!.GetValue<long>(),
                p["kept_text"]?.GetValue<string>(),
                p["exact_jaccard"]?.GetValue<double>(),
                p["estimated_jaccard"]!.GetValue<double>(),
                p["linked_via_cluster"]!.GetValue<bool>() ? "through cluster" : "direct",
            ]);
            string[] headers = across
                ? ["removed row", "removed text", "across row", "across text", "exact Jaccard", "estimated Jaccard", "link"]
                : ["removed row", "removed text", "kept row", "kept text", "exact Jaccard", "estimated Jaccard", "link"];
            string title = section switch
            {
                ReportedPairs.Exact => "Exact copies within the table",
                ReportedPairs.Near => "Near copies within the table",
                _ => "Matches of the across table (contamination)",
            };
            html.Table(headers, rows, $"{title}: {removed} removed, {shown.Count} shown");
        }
    }

    private static string? Clip(string? text) => ClusterReportJson.Clip(text);
}
