using Pipelines.Core.Caching;

namespace Pipelines.Core.Running;

/// <summary>DVC's run cache: what a fingerprint produced, looked up before a stage runs and stored after it ran.</summary>
internal sealed class RunCache(ArtifactCache cache, TimeProvider time)
{
    /// <summary>The entry for <paramref name="fingerprint"/> when every blob it names is still in the cache, else null.</summary>
    public async Task<RunCacheEntry?> UsableEntryAsync(string fingerprint, CancellationToken cancellationToken)
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
