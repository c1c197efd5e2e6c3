namespace Pipelines.Synthetic.Text;

/// <summary>
/// Options of the <c>synthesize</c> stage's <c>text-lm</c> method (YAML <c>text_lm</c>, snake_case). Plain data;
/// checked by <see cref="TextLmOptionsValidator"/>.
/// </summary>
public sealed class TextLmOptions
{
    /// <summary>The String column whose texts are learned and generated. Required.</summary>
    public required string TextColumn { get; set; }

    /// <summary>
    /// Prompt filled from a seed row, e.g. <c>"Write a {label} email: "</c>; placeholders name columns. The model
    /// learns the filled prompt followed by the row's text, and continues the filled prompt of a seed row. Default
    /// empty (texts start from nothing).
    /// </summary>
    public string Template { get; set; } = "";

    /// <summary>
    /// Columns copied from the seed row into each generated row (the condition columns are always copied); other
    /// columns are null. Default: every column but <see cref="TextColumn"/>.
    /// </summary>
    public IReadOnlyList<string>? CopyColumns { get; set; }

    /// <summary>Shape and training budget of the tiny model trained when the stage has no <c>generator</c> input. Default: <see cref="TinyLmOptions"/> defaults.</summary>
    public TinyLmOptions Train { get; set; } = new();

    /// <summary>How texts are decoded. Default: <see cref="TextGenerationOptions"/> defaults.</summary>
    public TextGenerationOptions Generate { get; set; } = new();
}
