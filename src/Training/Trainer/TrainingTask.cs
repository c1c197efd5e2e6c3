namespace Pipelines.Training;

/// <summary>What the model learns.</summary>
public enum TrainingTask
{
    /// <summary>Next-token prediction over a text column, or over the response of prompt/response columns.</summary>
    CausalLm,

    /// <summary>Sequence classification: text to one of the label values.</summary>
    Classification,
}
