using System.Text.Json.Nodes;
using Pipelines.Core.Reporting;

namespace Pipelines.Eval;

/// <summary>Renders an evaluation's JSON as a self-contained HTML page.</summary>
public static class EvalReport
{
    /// <summary>The page for <paramref name="report"/> (the object <see cref="EvalStage"/> writes as report.json).</summary>
    public static HtmlReport Render(JsonObject report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var html = new HtmlReport("Evaluation");
        var models = new[] { "adapter", "base", "linear_probe", "compare" }.Where(m => report[m] is JsonObject).ToList();
        if (report["task"]!.GetValue<string>() == "causal_lm")
        {
            html.KeyFigures(models.SelectMany(m => new (string, object?)[]
            {
                ($"{m}: loss", report[m]!["loss"]!.GetValue<double>()),
                ($"{m}: perplexity", report[m]!["perplexity"]!.GetValue<double>()),
            }).Append(("rows", (object?)report["rows"]!.GetValue<int>())));
            return html;
        }

        var labels = report["labels"]!.AsArray().Select(l => l!.GetValue<string>()).ToList();
        html.KeyFigures(models.SelectMany(m => new (string, object?)[]
        {
            ($"{m}: accuracy", report[m]!["accuracy"]!.GetValue<double>()),
            ($"{m}: macro-F1", report[m]!["macro_f1"]!.GetValue<double>()),
        }).Append(("rows", (object?)report["rows"]!.GetValue<int>())).Append(("positive label", report["positive_label"]!.GetValue<string>())));

        foreach (var m in models)
        {
            var r = report[m]!.AsObject();
            html.Heading($"{Title(m)} ({r["method"]?.GetValue<string>()})");
            html.Table(["label", "precision", "recall", "F1", "support"],
                r["per_class"]!.AsArray().Select(c => (IReadOnlyList<object?>)
                [
                    c!["label"]!.GetValue<string>(), c["precision"]!.GetValue<double>(), c["recall"]!.GetValue<double>(), c["f1"]!.GetValue<double>(), c["support"]!.GetValue<int>(),
                ]), "Per class");
            var matrix = r["confusion_matrix"]!.AsArray();
            html.Table(new[] { "actual \\ predicted" }.Concat(labels).ToList(),
                labels.Select((l, i) => (IReadOnlyList<object?>)new object?[] { l }.Concat(matrix[i]!.AsArray().Select(v => (object?)v!.GetValue<int>())).ToList()),
                "Confusion matrix");
            foreach (var g in r["groups"]!.AsArray())
            {
                html.Table(["group", "rows", "accuracy", "selection rate", "TPR", "FPR"],
                    g!["groups"]!.AsArray().Select(x => (IReadOnlyList<object?>)
                    [
                        x!["group"]!.GetValue<string>(), x["count"]!.GetValue<int>(), x["accuracy"]!.GetValue<double>(), x["selection_rate"]!.GetValue<double>(),
                        x["true_positive_rate"]?.GetValue<double>(), x["false_positive_rate"]?.GetValue<double>(),
                    ]),
                    $"By {g["column"]!.GetValue<string>()}: demographic parity difference {g["demographic_parity_difference"]!.GetValue<double>():F4}, equalized odds difference {g["equalized_odds_difference"]!.GetValue<double>():F4}");
            }
        }

        if (report["adapter"] is JsonObject adapter && adapter["groups"]!.AsArray().Count > 0)
        {
            foreach (var g in adapter["groups"]!.AsArray())
            {
                var traces = new JsonArray(models.Select(m =>
                {
                    var groups = report[m]!["groups"]!.AsArray().First(x => x!["column"]!.GetValue<string>() == g!["column"]!.GetValue<string>())!["groups"]!.AsArray();
                    return (JsonNode)new JsonObject
                    {
                        ["type"] = "bar",
                        ["name"] = m,
                        ["x"] = new JsonArray(groups.Select(x => (JsonNode?)JsonValue.Create(x!["group"]!.GetValue<string>())).ToArray()),
                        ["y"] = new JsonArray(groups.Select(x => (JsonNode?)JsonValue.Create(x!["accuracy"]!.GetValue<double>())).ToArray()),
                    };
                }).ToArray());
                html.Chart($"Accuracy by {g!["column"]!.GetValue<string>()}", traces);
            }
        }

        return html;
    }

    private static string Title(string model) => model switch
    {
        "adapter" => "With adapter",
        "base" => "Base model",
        "linear_probe" => "Linear probe on the base model",
        _ => "Second model (compare_base_model + compare_adapter)",
    };
}
