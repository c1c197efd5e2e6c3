namespace Pipelines.Training;

/// <summary>Which parameters a <c>train</c> stage updates.</summary>
public enum FineTuningMethod
{
    /// <summary>LoRA adapters (and the classification head); the base stays frozen.</summary>
    Lora,

    /// <summary>Every parameter (the baseline LoRA is compared against).</summary>
    Full,
}
