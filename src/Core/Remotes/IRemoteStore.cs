namespace Pipelines.Core.Remotes;

/// <summary>
/// A shared cache: blobs by content hash and run-cache entries by fingerprint, nothing else. Uploads are atomic (an
/// object is visible complete or not at all); downloads are not trusted: <see cref="RemoteSync"/> hash-checks every
/// blob before the local store takes it. Implementations are safe for concurrent calls.
/// </summary>
public interface IRemoteStore
{
    /// <summary>Where the remote is, for messages (<c>s3://bucket/prefix</c>, a directory).</summary>
    string Location { get; }

    /// <summary>Whether the remote holds a blob (one HEAD or stat).</summary>
    Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken = default);

    /// <summary>Uploads a local file as blob <paramref name="hash"/>; visible under its name only once complete.</summary>
    Task UploadBlobAsync(string hash, string sourcePath, CancellationToken cancellationToken = default);

    /// <summary>Downloads blob <paramref name="hash"/> to <paramref name="targetPath"/>; false when the remote has no such blob.</summary>
    Task<bool> DownloadBlobAsync(string hash, string targetPath, CancellationToken cancellationToken = default);

    /// <summary>Lists every blob hash (a listing call per page: <c>push</c> never needs it).</summary>
    IAsyncEnumerable<string> ListBlobsAsync(CancellationToken cancellationToken = default);

    /// <summary>The bytes of the run-cache entry for a fingerprint, or null.</summary>
    Task<byte[]?> GetRunEntryAsync(string fingerprint, CancellationToken cancellationToken = default);

    /// <summary>Uploads a run-cache entry (after its blobs), atomically.</summary>
    Task PutRunEntryAsync(string fingerprint, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default);
}
