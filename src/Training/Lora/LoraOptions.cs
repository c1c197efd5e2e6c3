using System.Text.Json.Serialization;

namespace Pipelines.Training;

/// <summary>LoRA hyper-parameters (PEFT's names in comments). Plain data; checked by <see cref="LoraOptionsValidator"/>.</summary>
public sealed record LoraOptions
{
    /// <summary>Rank <c>r</c> of the update B·A (default 8).</summary>
    [JsonPropertyName("r")]
    public int Rank { get; init; } = 8;

    /// <summary><c>lora_alpha</c> (default 16); the update is scaled by alpha/r, or alpha/√r with <see cref="UseRsLora"/>.</summary>
    public double Alpha { get; init; } = 16;

    /// <summary><c>lora_dropout</c> on the adapter's input (default 0.05).</summary>
    public double Dropout { get; init; } = 0.05;

    /// <summary>
    /// <c>target_modules</c> (default <c>[c_attn]</c>): a plain name matches a module whose path ends with it
    /// (<c>c_proj</c> matches <c>transformer.h.0.attn.c_proj</c>); an entry with regex characters must match the whole path.
    /// </summary>
    public IReadOnlyList<string> TargetModules { get; init; } = ["c_attn"];

    /// <summary><c>use_rslora</c>: scale by alpha/√r instead of alpha/r (default false).</summary>
    [JsonPropertyName("use_rslora")]
    public bool UseRsLora { get; init; }

    /// <summary>The scaling applied to B·A.</summary>
    [JsonIgnore]
    public double Scaling => UseRsLora ? Alpha / Math.Sqrt(Rank) : Alpha / Rank;
}
