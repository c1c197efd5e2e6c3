namespace Pipelines.Stages.Template;

/// <summary>Options of the <c>template</c> stage.</summary>
public sealed class TemplateOptions
{
    /// <summary>Text with <c>{column}</c> placeholders, filled from each row (<c>{{</c> and <c>}}</c> are literal braces).</summary>
    public required string Template { get; set; }

    /// <summary>The column to write (default <c>text</c>); an existing column of that name is replaced.</summary>
    public string Column { get; set; } = "text";

    /// <summary>What a null value reads as (default <c>unknown</c>).</summary>
    public string NullText { get; set; } = "unknown";
}
