using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Core.Reporting;

namespace Pipelines.Stages.Dedup;

/// <summary>The semantic dedup report: the text modes' layout, with each pair's cosine where they show Jaccard.</summary>
internal static class SemanticDedupReport
{
    private const string Exact = "exact";
    private const string Semantic = "semantic";
    private const string Across = "across";
    private static readonly string[] Sections = [Exact, Semantic, Across];

    private static string SectionOf(SemanticDuplicateRecord r) => r.Across ? Across : r.Exact ? Exact : Semantic;

    private static IEnumerable<SemanticDuplicateRecord> Shown(SemanticDedupOutcome outcome, string section) =>
        outcome.Records.Where(r => SectionOf(r) == section).Take(DedupConstants.PairsPerSectionInReport);

    /// <summary>Table rows whose text the report shows: listed removed rows, kept rows of within-table pairs, largest clusters' examples.</summary>
    public static IEnumerable<int> TableRows(SemanticDedupOutcome outcome) =>
        Sections.SelectMany(s => Shown(outcome, s)).SelectMany(r => r.Across ? [(int)r.RemovedRow] : new[] { (int)r.RemovedRow, (int)r.KeptRow })
            .Concat(Largest(outcome).SelectMany(c => c.Rows.Take(DedupConstants.ExamplesPerCluster + 1).Append(c.KeptRow)));

    /// <summary>Rows of the <c>across</c> table whose text the report shows.</summary>
    public static IEnumerable<int> AcrossRows(SemanticDedupOutcome outcome) => Shown(outcome, Across).Select(r => (int)r.KeptRow);

    public static JsonObject Build(SemanticDedupOutcome outcome, DedupOptions options, IReadOnlyDictionary<int, string> texts, IReadOnlyDictionary<int, string> acrossTexts)
    {
        var histogram = ClusterReportJson.SizeHistogram(outcome.Clusters);
        var largest = ClusterReportJson.LargestClusters(outcome.Clusters, texts);

        var pairs = new JsonObject();
        foreach (string section in Sections)
        {
            var shown = new JsonArray();
            foreach (var r in Shown(outcome, section))
            {
                shown.Add(new JsonObject
                {
                    ["removed_row"] = r.RemovedRow,
                    ["removed_text"] = Clip(texts.GetValueOrDefault((int)r.RemovedRow)),
                    ["matched"] = r.Across ? "across" : "table",
                    ["kept_row"] = r.KeptRow,
                    ["kept_text"] = Clip((r.Across ? acrossTexts : texts).GetValueOrDefault((int)r.KeptRow)),
                    ["kind"] = r.Exact ? "exact" : "semantic",
                    ["cluster_id"] = r.ClusterId,
                    ["cosine"] = Math.Round(r.Cosine, 6),
                    ["linked_via_cluster"] = r.LinkedViaCluster,
                });
            }

            pairs[section] = new JsonObject { ["removed"] = outcome.Records.Count(r => SectionOf(r) == section), ["shown"] = shown };
        }

        var report = new JsonObject
        {
            ["rows_in"] = outcome.RowsIn,
            ["rows_out"] = outcome.RowsOut,
            ["duplicates_removed"] = outcome.Records.Count,
            ["exact_removed"] = outcome.ExactCount,
            ["semantic_removed"] = outcome.SemanticCount,
            ["across_removed"] = outcome.AcrossCount,
            ["clusters"] = outcome.Clusters.Count + outcome.AcrossMatchedRows,
            ["table_clusters"] = outcome.Clusters.Count,
            ["across_clusters"] = outcome.AcrossMatchedRows,
            ["mode"] = "semantic",
            ["embedding_column"] = options.EmbeddingColumn,
            ["columns"] = new JsonArray(options.Columns.Select(c => (JsonNode)JsonValue.Create(c)!).ToArray()),
            ["keep"] = options.Keep.ToString().ToLowerInvariant(),
            ["cosine_threshold"] = options.CosineThreshold,
            ["lsh_bits"] = outcome.Within.Bits,
            ["lsh_tables"] = outcome.Within.Tables,
            ["candidate_probability_at_threshold"] = outcome.Within.Tables == 0 ? null : Math.Round(outcome.Within.CandidateProbability, 4),
            ["candidate_pairs"] = outcome.Within.CandidatePairs,
            ["rejected_by_verification"] = outcome.Within.RejectedByVerification,
            ["cluster_size_histogram"] = histogram,
            ["largest_clusters"] = largest,
            ["duplicate_pairs"] = pairs,
        };
        if (outcome.Across is { } across)
        {
            report["across_lsh_bits"] = across.Bits;
            report["across_lsh_tables"] = across.Tables;
            report["across_candidate_pairs"] = across.CandidatePairs;
            report["across_rejected_by_verification"] = across.RejectedByVerification;
        }

        return report;
    }

    public static Task WriteAsync(string directory, JsonObject report, CancellationToken cancellationToken)
    {
        var html = new HtmlReport("Semantic deduplication report");
        string[] keys = ["rows_in", "rows_out", "duplicates_removed", "exact_removed", "semantic_removed", "across_removed", "clusters", "table_clusters", "across_clusters"];
        html.KeyFigures(keys.Select(k => (k.Replace('_', ' '), (object?)report[k]!.GetValue<int>())));
        string[] settings = ["mode", "embedding_column", "keep", "cosine_threshold", "lsh_bits", "lsh_tables", "candidate_probability_at_threshold", "candidate_pairs", "rejected_by_verification", "across_lsh_bits", "across_lsh_tables", "across_candidate_pairs", "across_rejected_by_verification"];
        html.Table(["setting", "value"], settings.Where(k => report[k] is not null).Select(k => (IReadOnlyList<object?>)[k, report[k]!.ToJsonString().Trim('"')]), "Settings");
        html.Heading("Removed rows beside the rows they duplicate");
        foreach (var (section, node) in report["duplicate_pairs"]!.AsObject())
        {
            var shown = node!["shown"]!.AsArray();
            var rows = shown.Select(p => (IReadOnlyList<object?>)
            [
                p!["removed_row"]!.GetValue<long>(),
                p["removed_text"]?.GetValue<string>(),
                p["kept_row"]!.GetValue<long>(),
                p["kept_text"]?.GetValue<string>(),
                p["cosine"]!.GetValue<double>(),
                p["linked_via_cluster"]!.GetValue<bool>() ? "through cluster" : "direct",
            ]);
            string[] headers = section == Across
                ? ["removed row", "removed text", "across row", "across text", "cosine", "link"]
                : ["removed row", "removed text", "kept row", "kept text", "cosine", "link"];
            string title = section switch
            {
                Exact => "Identical embeddings within the table",
                Semantic => "Same meaning within the table",
                _ => "Matches of the across table by meaning (contamination)",
            };
            html.Table(headers, rows, $"{title}: {node["removed"]!.GetValue<int>()} removed, {shown.Count} shown");
        }

        html.Heading("Largest clusters");
        foreach (var node in report["largest_clusters"]!.AsArray())
        {
            var c = node!.AsObject();
            var rows = new List<IReadOnlyList<object?>> { new object?[] { "kept", c["kept_row"]!.GetValue<int>(), c["kept_text"]?.GetValue<string>() } };
            rows.AddRange(c["removed_examples"]!.AsArray().Select(e => (IReadOnlyList<object?>)["removed", e!["row"]!.GetValue<int>(), e["text"]?.GetValue<string>()]));
            html.Table(["role", "row", "text"], rows, $"Cluster {c["cluster_id"]} ({c["size"]} rows)");
        }

        return html.WriteAsync(directory, report, cancellationToken);
    }

    private static IEnumerable<DuplicateCluster> Largest(SemanticDedupOutcome outcome) => ClusterReportJson.Largest(outcome.Clusters);

    private static string? Clip(string? text) => ClusterReportJson.Clip(text);
}
