namespace Pipelines.Core.Running;

/// <summary>
/// Where the run cache looks when the local one misses (a shared remote): fetches the entry for a fingerprint and its
/// blobs into the local store. The runner knows only this; failures are the implementation's to turn into a warning.
/// </summary>
public interface IRunCacheFallback
{
    /// <summary>Whether the entry and every blob it names are now in the local store.</summary>
    Task<bool> TryFetchAsync(string fingerprint, CancellationToken cancellationToken);
}
