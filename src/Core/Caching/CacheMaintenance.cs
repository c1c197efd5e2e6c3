using System.Text.Json.Nodes;
using Pipelines.Core.Hashing;

namespace Pipelines.Core.Caching;

/// <summary><c>cache gc</c> and <c>cache verify</c>: keep what the lock file and recent runs reference; evict what is corrupt.</summary>
public sealed class CacheMaintenance
{
    private readonly Workspace _workspace;
    private readonly ArtifactCache _cache;

    /// <summary>Creates the maintenance over a workspace's local store.</summary>
    public CacheMaintenance(Workspace workspace, IArtifactStore? store = null)
    {
        _workspace = workspace;
        _cache = new ArtifactCache(store ?? new LocalArtifactStore(workspace.StateDirectory));
    }

    /// <summary>Deletes blobs and run-cache entries that neither <c>pipelines.lock</c> nor the newest <paramref name="keepRuns"/> run logs reference.</summary>
    public async Task<GcResult> CollectGarbageAsync(int keepRuns = 10, CancellationToken cancellationToken = default)
    {
        // The same lock as `run`: a gc beside a run would delete its scratch and the blobs it has just stored.
        using var workspaceLock = WorkspaceLock.Acquire(_workspace.StateDirectory);
        var roots = new HashSet<string>(LockFile.Load(_workspace.LockFilePath).AllOutputHashes(), StringComparer.Ordinal);
        if (Directory.Exists(_workspace.RunsDirectory))
        {
            foreach (var log in Directory.EnumerateFiles(_workspace.RunsDirectory, "*.json")
                         .Where(f => Path.GetFileName(f) != "latest.json").OrderByDescending(File.GetLastWriteTimeUtc).Take(keepRuns))
            {
                try
                {
                    foreach (var stage in JsonNode.Parse(await File.ReadAllTextAsync(log, cancellationToken))?["stages"]?.AsArray() ?? [])
                        foreach (var (_, output) in stage?["outputs"]?.AsObject() ?? [])
                            if (output?["hash"]?.GetValue<string>() is { } hash) roots.Add(hash);
                }
                catch (System.Text.Json.JsonException) { }
            }
        }

        // Keep run-cache entries whose outputs are all rooted; they keep their blobs (and manifests' files).
        var keep = new HashSet<string>(StringComparer.Ordinal);
        int entriesDeleted = 0;
        var entries = new List<RunCacheEntry>();
        await foreach (var entry in _cache.Store.ListRunCacheEntriesAsync(cancellationToken)) entries.Add(entry);
        foreach (var entry in entries)
        {
            if (entry.Outputs.Values.All(o => roots.Contains(o.Hash))) continue;
            await _cache.Store.DeleteRunCacheEntryAsync(entry.Fingerprint, cancellationToken);
            entriesDeleted++;
        }
        foreach (var root in roots)
        {
            keep.Add(root);
            if (!await _cache.Store.ExistsAsync(root, cancellationToken)) continue;
            if (await TryReadManifestAsync(root, cancellationToken) is { } files)
                foreach (var (_, hash) in files) keep.Add(hash);
        }

        int blobsDeleted = 0;
        long bytesFreed = 0;
        var all = new List<string>();
        await foreach (var hash in _cache.Store.ListAsync(cancellationToken)) all.Add(hash);
        foreach (var hash in all.Where(h => !keep.Contains(h)))
        {
            if (_cache.Store.LocalPath(hash) is { } path && File.Exists(path)) bytesFreed += new FileInfo(path).Length;
            await _cache.Store.DeleteAsync(hash, cancellationToken);
            blobsDeleted++;
        }
        if (Directory.Exists(_workspace.TempDirectory))
            foreach (var leftover in Directory.EnumerateDirectories(_workspace.TempDirectory))
                try { Directory.Delete(leftover, recursive: true); } catch (IOException) { }
        return new GcResult(all.Count - blobsDeleted, blobsDeleted, bytesFreed, entriesDeleted);
    }

    /// <summary>Re-hashes every blob; a blob whose bytes no longer match its name is evicted with the run-cache entries that use it.</summary>
    public async Task<VerifyResult> VerifyAsync(IProgress<(int Done, int Total)>? progress = null, CancellationToken cancellationToken = default)
    {
        using var workspaceLock = WorkspaceLock.Acquire(_workspace.StateDirectory);
        var all = new List<string>();
        await foreach (var hash in _cache.Store.ListAsync(cancellationToken)) all.Add(hash);
        var corrupt = new List<string>();
        for (int i = 0; i < all.Count; i++)
        {
            await using (var stream = await _cache.Store.OpenReadAsync(all[i], cancellationToken))
            {
                var hasher = new System.IO.Hashing.XxHash128();
                await hasher.AppendAsync(stream, cancellationToken);
                if (Convert.ToHexStringLower(hasher.GetCurrentHash()) != all[i]) corrupt.Add(all[i]);
            }
            progress?.Report((i + 1, all.Count));
        }
        int entriesEvicted = 0;
        if (corrupt.Count > 0)
        {
            var bad = corrupt.ToHashSet(StringComparer.Ordinal);
            var entries = new List<RunCacheEntry>();
            await foreach (var entry in _cache.Store.ListRunCacheEntriesAsync(cancellationToken)) entries.Add(entry);
            foreach (var entry in entries.Where(e => e.Outputs.Values.Any(o => bad.Contains(o.Hash))))
            {
                await _cache.Store.DeleteRunCacheEntryAsync(entry.Fingerprint, cancellationToken);
                entriesEvicted++;
            }
            foreach (var hash in corrupt) await _cache.Store.DeleteAsync(hash, cancellationToken);
        }
        return new VerifyResult(all.Count, corrupt, entriesEvicted);
    }

    private async Task<IReadOnlyList<(string Path, string Hash)>?> TryReadManifestAsync(string hash, CancellationToken cancellationToken)
    {
        try
        {
            var entries = await _cache.ReadManifestAsync(hash, cancellationToken);
            return entries.All(e => e.Hash.Length == 32 && e.Hash.All(char.IsAsciiHexDigitLower)) ? entries : null;
        }
        catch (Exception ex) when (ex is InvalidDataException or System.Text.DecoderFallbackException)
        {
            return null;
        }
    }
}

/// <summary>What <c>cache gc</c> did.</summary>
public sealed record GcResult(int BlobsKept, int BlobsDeleted, long BytesFreed, int RunCacheEntriesDeleted);

/// <summary>What <c>cache verify</c> found.</summary>
public sealed record VerifyResult(int BlobsChecked, IReadOnlyList<string> Corrupt, int RunCacheEntriesEvicted);
