using System.Text.Json.Nodes;

namespace Pipelines.Training;

/// <summary>The <c>metrics</c> JSON of a training run.</summary>
public static class TrainingMetrics
{
    /// <summary>What was measured (time, throughput, memory) rather than determined by the inputs and seed.</summary>
    public static IEnumerable<KeyValuePair<string, JsonNode>> Measurements(TrainingResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        yield return new("seconds", Math.Round(result.Seconds, 3));
        yield return new("tokens_per_second", Math.Round(result.TokensPerSecond, 1));
        yield return new("peak_memory_bytes", result.PeakMemoryBytes);
    }

    /// <summary>
    /// Loss curves and final validation figures as a JSON object: only what the inputs, options and seed determine,
    /// because the file is an artifact that downstream fingerprints hash. The <see cref="Measurements"/> go to the run log.
    /// </summary>
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
        };
        o["stopped_early"] = result.StoppedEarly;
        o["best_val_loss"] = result.BestValidationLoss;
        o["val_loss"] = final?.Loss;
        o["val_perplexity"] = final is { } f && options.Task == TrainingTask.CausalLm ? Math.Exp(f.Loss) : null;
        o["val_accuracy"] = final?.Accuracy;
        o["train_loss"] = new JsonArray(result.Steps.Select(s => (JsonNode)new JsonObject
        {
            ["step"] = s.Step,
            ["loss"] = s.Loss,
            ["learning_rate"] = s.LearningRate,
        }).ToArray());
        o["val_curve"] = new JsonArray(result.Evaluations.Select(e => (JsonNode)new JsonObject
        {
            ["step"] = e.Step,
            ["loss"] = e.Loss,
            ["accuracy"] = e.Accuracy,
        }).ToArray());
        return o;
    }
}
