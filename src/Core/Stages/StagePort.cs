namespace Pipelines.Core;

/// <summary>A named input or output of a stage kind.</summary>
/// <param name="Name">The name used in YAML (<c>inputs: {table: ingest.table}</c>).</param>
/// <param name="Kind">What the artifact is.</param>
/// <param name="Required">
/// For an input, whether a pipeline must connect it. For an output, whether the stage always writes it; an optional
/// output (a merged model written only when asked for) is stored when written and simply absent otherwise.
/// </param>
/// <param name="Extension">For <see cref="ArtifactKind.File"/> outputs, the file extension (<c>.json</c>).</param>
public sealed record StagePort(string Name, ArtifactKind Kind, bool Required = true, string? Extension = null)
{
    /// <summary>
    /// For a file input: whether it is a data-schema (<c>data-schemas/*.yaml</c>). An external one is loaded and
    /// checked when the pipeline is planned, so a rule typo stops the run before any stage starts.
    /// </summary>
    public bool IsDataSchema { get; init; }

    /// <summary>Whether the artifact is a directory on disk.</summary>
    public bool IsDirectory => Kind is ArtifactKind.Model or ArtifactKind.Report;

    /// <summary>The file name extension of the materialised artifact (empty for directories).</summary>
    public string FileExtension => Kind switch
    {
        ArtifactKind.Table => ".parquet",
        ArtifactKind.File => Extension ?? "",
        _ => "",
    };
}
