namespace Pipelines.Core.Caching;

/// <summary>
/// Content-addressed blob store plus run cache: the one seam through which artifacts are read and written,
/// so a shared remote store can later stand beside the local one (ARCHITECTURE §9).
/// Implementations are safe for concurrent use by several stages and several processes.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Whether a blob with this hash exists.</summary>
    Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether the blob exists with the bytes its hash names. A store that can see a blob was touched since it was
    /// stored (a write through a hard link, an edit in the cache) re-hashes it, and deletes it when it no longer
    /// matches, so a corrupt blob is recomputed, never served.
    /// </summary>
    Task<bool> IsIntactAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Opens a blob for reading.</summary>
    Task<Stream> OpenReadAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>A local file path of the blob when the store is on this machine (read-only), else null.</summary>
    string? LocalPath(string hash);

    /// <summary>
    /// Adds a file as a blob and returns its hash. The source is moved when <paramref name="move"/> (cheap for
    /// outputs in the workspace), copied otherwise. Atomic: the blob appears complete under its hash or not at all.
    /// </summary>
    Task<string> PutFileAsync(string sourcePath, bool move, CancellationToken cancellationToken = default);

    /// <summary>Adds bytes as a blob and returns its hash.</summary>
    Task<string> PutBytesAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);

    /// <summary>Lists every blob hash.</summary>
    IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a blob (garbage collection, corrupt blobs).</summary>
    Task DeleteAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>The run-cache entry for a fingerprint, or null (a corrupt entry is deleted and reported as a miss).</summary>
    Task<RunCacheEntry?> GetRunCacheEntryAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Records a run-cache entry (written after its blobs, atomically).</summary>
    Task PutRunCacheEntryAsync(RunCacheEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Lists every run-cache entry.</summary>
    IAsyncEnumerable<RunCacheEntry> ListRunCacheEntriesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes a run-cache entry.</summary>
    Task DeleteRunCacheEntryAsync(string fingerprint, CancellationToken cancellationToken = default);
}
