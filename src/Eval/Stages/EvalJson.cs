using System.Text.Json.Nodes;

namespace Pipelines.Eval;

/// <summary>The JSON shapes of evaluation results (snake_case, as in the report file).</summary>
public static class EvalJson
{
    /// <summary>Loss, perplexity and token count.</summary>
    public static JsonObject Of(LanguageModelMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        return new JsonObject { ["loss"] = metrics.Loss, ["perplexity"] = metrics.Perplexity, ["tokens"] = metrics.Tokens };
    }

    /// <summary>Classification metrics with per-class figures, confusion matrix and per-group figures.</summary>
    public static JsonObject Of(ClassificationMetrics metrics, IEnumerable<GroupMetrics> groups)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(groups);
        return new JsonObject
        {
            ["accuracy"] = metrics.Accuracy,
            ["macro_f1"] = metrics.MacroF1,
            ["per_class"] = new JsonArray(metrics.PerClass.Select(c => (JsonNode)new JsonObject
            {
                ["label"] = c.Label, ["precision"] = c.Precision, ["recall"] = c.Recall, ["f1"] = c.F1, ["support"] = c.Support,
            }).ToArray()),
            ["confusion_matrix"] = new JsonArray(metrics.ConfusionMatrix.Select(r => (JsonNode)new JsonArray(r.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray())).ToArray()),
            ["groups"] = new JsonArray(groups.Select(g => (JsonNode)new JsonObject
            {
                ["column"] = g.Column,
                ["demographic_parity_difference"] = g.DemographicParityDifference,
                ["equalized_odds_difference"] = g.EqualizedOddsDifference,
                ["groups"] = new JsonArray(g.Groups.Select(r => (JsonNode)new JsonObject
                {
                    ["group"] = r.Group, ["count"] = r.Count, ["accuracy"] = r.Accuracy, ["selection_rate"] = r.SelectionRate,
                    ["true_positive_rate"] = r.TruePositiveRate, ["false_positive_rate"] = r.FalsePositiveRate,
                }).ToArray()),
            }).ToArray()),
        };
    }
}
