namespace Pipelines.Core.Definition;

/// <summary>A place in a pipeline file, for messages: <c>pipelines/finetune.yaml:14</c>.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column = 0)
{
    /// <inheritdoc />
    public override string ToString() => Line > 0 ? $"{File}:{Line}" : File;
}
