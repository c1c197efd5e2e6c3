using System.Text.Json.Serialization;
using Pipelines.Core.Definition;
using Pipelines.Training;

namespace Pipelines.Eval;

/// <summary>Options of the <c>eval</c> stage (YAML <c>with:</c>, snake_case). Defaults in each summary.</summary>
public sealed class EvalStageOptions
{
    /// <summary><c>causal_lm</c> (default) or <c>classification</c>.</summary>
    public TrainingTask Task { get; set; } = TrainingTask.CausalLm;

    /// <summary>Text column (default <c>text</c>).</summary>
    public string TextColumn { get; set; } = "text";

    /// <summary>Prompt column (causal LM, loss on the response only; default none).</summary>
    public string? PromptColumn { get; set; }

    /// <summary>Response column, set with <see cref="PromptColumn"/> (default none).</summary>
    public string? ResponseColumn { get; set; }

    /// <summary>Label column (classification; default <c>label</c>).</summary>
    public string LabelColumn { get; set; } = "label";

    /// <summary>Label counted as the positive outcome for selection rate and equalized odds (default: the last label in sorted order).</summary>
    [JsonConverter(typeof(ScalarTextConverter))] // positive_label: 1 is the label "1"
    public string? PositiveLabel { get; set; }

    /// <summary>Columns to break classification metrics down by (default none), e.g. <c>[sex, race]</c>.</summary>
    public IReadOnlyList<string> SensitiveColumns { get; set; } = [];

    /// <summary>Also evaluate the base model without the adapter (default true; zero-shot label scoring for classification).</summary>
    public bool CompareBase { get; set; } = true;

    /// <summary>Longest example in tokens (default 128).</summary>
    public int MaxLength { get; set; } = 128;

    /// <summary>
    /// Classification on a BERT base: also fit a linear probe (logistic regression on the base model's frozen
    /// mean-pooled, unit-length sentence embeddings) on input <c>train</c> and score it on the same rows (default false).
    /// </summary>
    public bool LinearProbe { get; set; }

    /// <summary>Training rows the probe is fitted on: a seeded sample of this many (default 0: all of them).</summary>
    public int ProbeRows { get; set; }

    /// <summary>L2 penalty λ on the probe's weights, per mean loss over standardised features (default 0.001).</summary>
    public double ProbeL2 { get; set; } = 1e-3;

    /// <summary>Rows per inference batch (default 32).</summary>
    public int BatchSize { get; set; } = 32;
}
