using System.Runtime.CompilerServices;
using Pipelines.Core.Remotes;

namespace Pipelines.Core.Tests.Support;

/// <summary>A remote that counts every call by kind before passing it on (tests of "no listing, no upload").</summary>
public sealed class CountingRemote(IRemoteStore inner) : IRemoteStore
{
    private int _heads, _uploads, _downloads, _lists, _entryGets, _entryPuts;

    public int Heads => _heads;
    public int Uploads => _uploads;
    public int Downloads => _downloads;
    public int Lists => _lists;
    public int EntryGets => _entryGets;
    public int EntryPuts => _entryPuts;
    public int Total => _heads + _uploads + _downloads + _lists + _entryGets + _entryPuts;

    /// <summary>When set, every call fails as an unreachable remote does.</summary>
    public bool Unreachable { get; set; }

    public string Location => inner.Location;

    public Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken = default) { Count(ref _heads); return inner.HasBlobAsync(hash, cancellationToken); }

    public Task UploadBlobAsync(string hash, string sourcePath, CancellationToken cancellationToken = default) { Count(ref _uploads); return inner.UploadBlobAsync(hash, sourcePath, cancellationToken); }

    public Task<bool> DownloadBlobAsync(string hash, string targetPath, CancellationToken cancellationToken = default) { Count(ref _downloads); return inner.DownloadBlobAsync(hash, targetPath, cancellationToken); }

    public async IAsyncEnumerable<string> ListBlobsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Count(ref _lists);
        await foreach (var hash in inner.ListBlobsAsync(cancellationToken)) yield return hash;
    }

    public Task<byte[]?> GetRunEntryAsync(string fingerprint, CancellationToken cancellationToken = default) { Count(ref _entryGets); return inner.GetRunEntryAsync(fingerprint, cancellationToken); }

    public Task PutRunEntryAsync(string fingerprint, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default) { Count(ref _entryPuts); return inner.PutRunEntryAsync(fingerprint, entry, cancellationToken); }

    private void Count(ref int counter)
    {
        Interlocked.Increment(ref counter);
        if (Unreachable) throw new RemoteUnavailableException($"remote {Location} is unreachable: Connection refused (127.0.0.1:9)");
    }
}
