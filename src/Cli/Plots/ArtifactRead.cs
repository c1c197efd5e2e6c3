namespace Pipelines.Cli.Plots;

/// <summary>What reading an artifact for a chart gave: the data, or why there is none (the page says so).</summary>
internal sealed record ArtifactRead<T>(T? Data, string? Missing) where T : class
{
    public static ArtifactRead<T> Found(T data) => new(data, null);

    public static ArtifactRead<T> Gone(string why) => new(null, why);
}
