using System.Text.Json.Nodes;

namespace Pipelines.Training;

/// <summary>The <c>metrics</c> JSON of a training run.</summary>
public static class TrainingMetrics
{
    /// <summary>Keys whose values are measured (time, throughput, memory), not determined by the inputs and seed.</summary>
    public static readonly IReadOnlyList<string> MeasurementKeys = ["seconds", "tokens_per_second", "peak_memory_bytes"];

    /// <summary>Loss curves, final validation figures, throughput and memory as a JSON object.</summary>
    public static JsonObject ToJson(TrainingResult result, TrainStageOptions options, string device, EvaluationPoint? final)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(options);
        var o = new JsonObject
        {
            ["task"] = options.Task == TrainingTask.CausalLm ? "causal_lm" : "classification",
            ["method"] = options.Method == FineTuningMethod.Lora ? "lora" : "full",
            ["device"] = device,
            ["steps"] = result.Steps.Count,
            ["trainable_parameters"] = result.TrainableParameters,
            ["total_parameters"] = result.TotalParameters,
            ["trainable_share"] = result.TotalParameters > 0 ? (double)result.TrainableParameters / result.TotalParameters : 0,
            ["tokens"] = result.Tokens,
            ["seconds"] = Math.Round(result.Seconds, 3),
            ["tokens_per_second"] = Math.Round(result.TokensPerSecond, 1),
            ["peak_memory_bytes"] = result.PeakMemoryBytes,
            ["stopped_early"] = result.StoppedEarly,
            ["best_val_loss"] = result.BestValidationLoss,
            ["val_loss"] = final?.Loss,
            ["val_perplexity"] = final is { } f && options.Task == TrainingTask.CausalLm ? Math.Exp(f.Loss) : null,
            ["val_accuracy"] = final?.Accuracy,
            ["train_loss"] = new JsonArray(result.Steps.Select(s => (JsonNode)new JsonObject
            {
                ["step"] = s.Step,
                ["loss"] = s.Loss,
                ["learning_rate"] = s.LearningRate,
            }).ToArray()),
            ["val_curve"] = new JsonArray(result.Evaluations.Select(e => (JsonNode)new JsonObject
            {
                ["step"] = e.Step,
                ["loss"] = e.Loss,
                ["accuracy"] = e.Accuracy,
            }).ToArray()),
        };
        return o;
    }
}
