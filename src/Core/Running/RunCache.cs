using Pipelines.Core.Caching;

namespace Pipelines.Core.Running;

/// <summary>
/// DVC's run cache: what a fingerprint produced, looked up before a stage runs and stored after it ran. A local miss
/// asks the <paramref name="fallback"/> (a shared remote), when there is one, before the stage is computed.
/// </summary>
internal sealed class RunCache(ArtifactCache cache, TimeProvider time, IRunCacheFallback? fallback = null)
{
    /// <summary>
    /// The entry for <paramref name="fingerprint"/> when every blob it names is in the cache, else null; on a local miss
    /// the fallback may fetch it first.
    /// </summary>
    public async Task<RunCacheEntry?> UsableEntryAsync(string fingerprint, CancellationToken cancellationToken)
    {
        if (await LocalEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false) is { } entry) return entry;
        if (fallback is null || !await fallback.TryFetchAsync(fingerprint, cancellationToken).ConfigureAwait(false)) return null;
        return await LocalEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entry when it and its blobs are in the local cache; never asks a remote (status, checkout).</summary>
    public async Task<RunCacheEntry?> LocalEntryAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var entry = await cache.Store.GetRunCacheEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        if (entry is null) return null;
        foreach (var output in entry.Outputs.Values)
            if (!await cache.ExistsAsync(output.Hash, output.IsDirectory, cancellationToken).ConfigureAwait(false)) return null;
        return entry;
    }

    /// <summary>
    /// Records what a computed stage produced. Not cancellable: the outputs are already in the cache, and an entry
    /// left unwritten would only make the next run compute them again.
    /// </summary>
    public Task StoreAsync(string fingerprint, StageRunRequest request, StageRunResult result, IReadOnlyList<IntermediateValue>? intermediateValues = null) =>
        cache.Store.PutRunCacheEntryAsync(new RunCacheEntry
        {
            Fingerprint = fingerprint,
            Kind = request.Kind,
            Outputs = result.Outputs,
            Summary = result.Summary,
            Metrics = result.Metrics,
            IntermediateValues = intermediateValues,
            Seconds = result.Seconds,
            Created = time.GetUtcNow().UtcDateTime,
        }, CancellationToken.None);
}
