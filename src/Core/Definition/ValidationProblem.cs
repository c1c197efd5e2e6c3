namespace Pipelines.Core.Definition;

/// <summary>One thing wrong with a pipeline, with where it is.</summary>
public sealed record ValidationProblem(SourceLocation? Location, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Location is { } l ? $"{l}: {Message}" : Message;
}
