namespace Pipelines.Core;

/// <summary>The outputs of a stage run started by another stage (a tuning trial, say).</summary>
public sealed class StageInvocationResult
{
    private readonly IReadOnlyDictionary<string, string> _paths;

    /// <summary>Creates the result.</summary>
    public StageInvocationResult(string fingerprint, bool cached, IReadOnlyDictionary<string, string> outputPaths, IReadOnlyDictionary<string, string> outputHashes,
        System.Text.Json.Nodes.JsonObject? summary = null)
    {
        Summary = summary ?? new System.Text.Json.Nodes.JsonObject();
        Fingerprint = fingerprint;
        Cached = cached;
        _paths = outputPaths;
        OutputHashes = outputHashes;
    }

    /// <summary>The nested stage's fingerprint.</summary>
    public string Fingerprint { get; }

    /// <summary>Whether the outputs were restored from the run cache rather than computed.</summary>
    public bool Cached { get; }

    /// <summary>The nested stage's key figures (its <see cref="StageContext.Summary"/>), e.g. <c>val_loss</c>.</summary>
    public System.Text.Json.Nodes.JsonObject Summary { get; }

    /// <summary>Content hashes of the outputs by name.</summary>
    public IReadOnlyDictionary<string, string> OutputHashes { get; }

    /// <summary>A read-only path of the named output (file, or directory for models and reports).</summary>
    public string OutputPath(string name) =>
        _paths.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"The stage has no output '{name}'.");
}
