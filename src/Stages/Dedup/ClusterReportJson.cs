using System.Globalization;
using System.Text.Json.Nodes;

namespace Pipelines.Stages.Dedup;

/// <summary>The parts of dedup's <c>report.json</c> every mode shares: cluster sizes, the largest clusters with their texts.</summary>
internal static class ClusterReportJson
{
    /// <summary>The clusters the report shows: the largest first, ties by id.</summary>
    public static IReadOnlyList<DuplicateCluster> Largest(IEnumerable<DuplicateCluster> clusters) =>
        clusters.OrderByDescending(c => c.Rows.Count).ThenBy(c => c.Id).Take(DedupConstants.LargestClustersInReport).ToArray();

    /// <summary>How many clusters have each size.</summary>
    public static JsonObject SizeHistogram(IEnumerable<DuplicateCluster> clusters)
    {
        var histogram = new JsonObject();
        foreach (var group in clusters.GroupBy(c => c.Rows.Count).OrderBy(g => g.Key))
        {
            histogram[group.Key.ToString(CultureInfo.InvariantCulture)] = group.Count();
        }

        return histogram;
    }

    /// <summary>Each of the largest clusters: its kept row and first removed rows with their (clipped) texts.</summary>
    public static JsonArray LargestClusters(IEnumerable<DuplicateCluster> clusters, IReadOnlyDictionary<int, string> texts)
    {
        var largest = new JsonArray();
        foreach (var cluster in Largest(clusters))
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

        return largest;
    }

    /// <summary>A text cut to the report's example length.</summary>
    public static string? Clip(string? text) =>
        text is null || text.Length <= DedupConstants.ExampleTextLength ? text : text[..DedupConstants.ExampleTextLength] + "…";
}
