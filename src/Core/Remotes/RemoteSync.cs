using System.Collections.Concurrent;
using System.Text.Json;
using Pipelines.Core.Caching;
using Pipelines.Core.Hashing;

namespace Pipelines.Core.Remotes;

/// <summary>
/// Moves what <c>pipelines.lock</c> references between the local cache and a remote: <c>push</c>, <c>pull</c>,
/// <c>status --remote</c>, and the one-stage fetch behind read-through restore. Blobs go before the run-cache entry
/// that names them, so an entry on the remote always has its blobs. What is known to be on the remote is kept in a
/// <see cref="RemoteIndex"/>; a push consults only it for what it already sent. Every downloaded blob is hashed
/// before the local store takes it.
/// </summary>
public sealed class RemoteSync
{
    private readonly IArtifactStore _local;
    private readonly ArtifactCache _cache;
    private readonly IRemoteStore _remote;
    private readonly RemoteIndex _index;
    private readonly string _temp;
    private readonly int _jobs;

    /// <summary>Creates the sync; <paramref name="jobs"/> transfers run at once (at least 1).</summary>
    public RemoteSync(Workspace workspace, IArtifactStore local, IRemoteStore remote, RemoteIndex index, int jobs = RemoteConstants.DefaultJobs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(jobs, 1);
        _local = local;
        _cache = new ArtifactCache(local);
        _remote = remote;
        _index = index;
        _jobs = jobs;
        // Downloads land beside the local cache (same filesystem), so taking a checked blob is a rename.
        _temp = Path.Combine(workspace.StateDirectory, "cache", "tmp");
    }

    /// <summary>The remote this sync talks to.</summary>
    public IRemoteStore Remote => _remote;

    /// <summary>
    /// Uploads the blobs and run-cache entries of every stage in the lock that the remote is not known to hold.
    /// A stage whose entry or blobs are not in the local cache is reported, not pushed.
    /// </summary>
    public async Task<TransferResult> PushAsync(LockFile lockFile, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var entries = new List<(RunCacheEntry Entry, byte[] Bytes)>();
        var blobs = new HashSet<string>(StringComparer.Ordinal);
        int alreadyThere = 0;
        foreach (var (pipeline, id, locked) in Stages(lockFile))
        {
            // The entry goes up last, so an indexed entry means its blobs went up too: nothing to read or ask.
            if (_index.HasRun(locked.Fingerprint)) { alreadyThere++; continue; }
            var entry = await _local.GetRunCacheEntryAsync(locked.Fingerprint, cancellationToken).ConfigureAwait(false);
            if (entry is null) { problems.Add($"stage '{pipeline}/{id}': its run-cache entry is not in the local cache (run the pipeline, or pull it first)."); continue; }
            var needed = await LocalBlobsAsync(entry, cancellationToken).ConfigureAwait(false);
            if (needed is null) { problems.Add($"stage '{pipeline}/{id}': some of its outputs are no longer in the local cache (run the pipeline to recompute them)."); continue; }
            blobs.UnionWith(needed.Where(h => !_index.HasBlob(h)));
            entries.Add((entry, JsonSerializer.SerializeToUtf8Bytes(entry, LocalArtifactStore.EntryJson)));
        }

        var tracker = new ProgressTracker(blobs.Count + entries.Count, progress);
        int uploaded = 0; // blobs and entries, as a pull counts them
        long bytes = 0;
        await ForEachAsync(blobs, async (hash, ct) =>
        {
            // Content addressing: a blob the remote already holds (another workspace pushed it) is not sent again.
            if (!await _remote.HasBlobAsync(hash, ct).ConfigureAwait(false))
            {
                string path = _local.LocalPath(hash) ?? throw new InvalidOperationException("push needs a local store with file paths.");
                await _remote.UploadBlobAsync(hash, path, ct).ConfigureAwait(false);
                Interlocked.Increment(ref uploaded);
                Interlocked.Add(ref bytes, new FileInfo(path).Length);
            }
            _index.AddBlob(hash);
            tracker.Done(hash);
        }, cancellationToken).ConfigureAwait(false);
        await _index.SaveAsync(cancellationToken).ConfigureAwait(false);

        foreach (var (entry, entryBytes) in entries)
        {
            await _remote.PutRunEntryAsync(entry.Fingerprint, entryBytes, cancellationToken).ConfigureAwait(false);
            _index.AddRun(entry.Fingerprint);
            uploaded++;
            bytes += entryBytes.Length;
            tracker.Done(entry.Fingerprint);
        }
        await _index.SaveAsync(cancellationToken).ConfigureAwait(false);
        return new TransferResult(entries.Count, alreadyThere, uploaded, bytes, problems);
    }

    /// <summary>
    /// Downloads the run-cache entries and blobs of every stage in the lock that the local cache lacks; every blob is
    /// hash-checked first. A stage the remote lacks, or whose blob is corrupt there, is reported and left out.
    /// </summary>
    public async Task<TransferResult> PullAsync(LockFile lockFile, IProgress<TransferProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        int fetched = 0, present = 0;
        var counters = new Counters();
        var stages = Stages(lockFile).ToArray();
        var tracker = new ProgressTracker(stages.Length, progress);
        foreach (var (pipeline, id, locked) in stages)
        {
            try
            {
                switch (await FetchAsync(locked.Fingerprint, counters, cancellationToken).ConfigureAwait(false))
                {
                    case FetchOutcome.AlreadyLocal: present++; break;
                    case FetchOutcome.Fetched: fetched++; break;
                    default: problems.Add($"stage '{pipeline}/{id}': remote {_remote.Location} has no run-cache entry {locked.Fingerprint[..8]} (push it from a workspace that ran it)."); break;
                }
            }
            catch (RemoteIntegrityException ex)
            {
                problems.Add($"stage '{pipeline}/{id}': {ex.Message}");
            }
            tracker.Done(id);
        }
        await _index.SaveAsync(cancellationToken).ConfigureAwait(false);
        return new TransferResult(fetched, present, counters.Files, counters.Bytes, problems);
    }

    /// <summary>
    /// Read-through: makes the run-cache entry for <paramref name="fingerprint"/> and its blobs local when the remote has
    /// them. Returns whether the entry is now usable locally. A corrupt remote blob throws <see cref="RemoteIntegrityException"/>.
    /// </summary>
    public async Task<bool> FetchStageAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        var outcome = await FetchAsync(fingerprint, new Counters(), cancellationToken).ConfigureAwait(false);
        await _index.SaveAsync(cancellationToken).ConfigureAwait(false);
        return outcome is not FetchOutcome.NotOnRemote;
    }

    /// <summary>
    /// Where each stage's outputs are: local, remote, both, or missing. Asks the remote (one GET of each entry and one
    /// HEAD of each output blob), and corrects the index with what it finds.
    /// </summary>
    public async Task<IReadOnlyList<RemoteOutputStatus>> StatusAsync(LockFile lockFile, CancellationToken cancellationToken = default)
    {
        var result = new List<RemoteOutputStatus>();
        foreach (var (pipeline, id, locked) in Stages(lockFile))
        {
            var localEntry = await _local.GetRunCacheEntryAsync(locked.Fingerprint, cancellationToken).ConfigureAwait(false);
            var remoteBytes = await _remote.GetRunEntryAsync(locked.Fingerprint, cancellationToken).ConfigureAwait(false);
            var remoteEntry = remoteBytes is null ? null : Parse(remoteBytes, locked.Fingerprint);
            if (remoteEntry is null) _index.RemoveRun(locked.Fingerprint);
            else _index.AddRun(locked.Fingerprint);
            foreach (var (name, (hash, path)) in locked.Outputs.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                var record = (localEntry ?? remoteEntry)?.Outputs.GetValueOrDefault(name);
                bool local = localEntry is not null && record is not null && await _cache.ExistsAsync(hash, record.IsDirectory, cancellationToken).ConfigureAwait(false);
                bool remote = remoteEntry is not null && await _remote.HasBlobAsync(hash, cancellationToken).ConfigureAwait(false);
                if (remote) _index.AddBlob(hash);
                else _index.RemoveBlob(hash);
                var where = (local, remote) switch { (true, true) => RemoteState.Both, (true, false) => RemoteState.Local, (false, true) => RemoteState.Remote, _ => RemoteState.Missing };
                result.Add(new RemoteOutputStatus(pipeline, id, name, hash, path, where));
            }
        }
        await _index.SaveAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private enum FetchOutcome { AlreadyLocal, Fetched, NotOnRemote }

    private sealed class Counters
    {
        public int Files;
        public long Bytes;
    }

    private async Task<FetchOutcome> FetchAsync(string fingerprint, Counters counters, CancellationToken cancellationToken)
    {
        var existing = await _local.GetRunCacheEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        if (existing is not null && await LocalBlobsAsync(existing, cancellationToken).ConfigureAwait(false) is not null) return FetchOutcome.AlreadyLocal;
        var bytes = await _remote.GetRunEntryAsync(fingerprint, cancellationToken).ConfigureAwait(false);
        if (bytes is null || Parse(bytes, fingerprint) is not { } entry) return FetchOutcome.NotOnRemote;

        await ForEachAsync(entry.Outputs.Values.Select(o => o.Hash).Distinct(StringComparer.Ordinal), (hash, ct) => EnsureBlobAsync(hash, counters, ct), cancellationToken).ConfigureAwait(false);
        var files = new HashSet<string>(StringComparer.Ordinal);
        foreach (var output in entry.Outputs.Values.Where(o => o.IsDirectory))
            foreach (var (_, hash) in await _cache.ReadManifestAsync(output.Hash, cancellationToken).ConfigureAwait(false))
                files.Add(hash);
        await ForEachAsync(files, (hash, ct) => EnsureBlobAsync(hash, counters, ct), cancellationToken).ConfigureAwait(false);
        // Last, as the local run cache itself does: an entry is only ever written once its blobs are in.
        await _local.PutRunCacheEntryAsync(entry, cancellationToken).ConfigureAwait(false);
        _index.AddRun(fingerprint);
        Interlocked.Increment(ref counters.Files);
        Interlocked.Add(ref counters.Bytes, bytes.Length);
        return FetchOutcome.Fetched;
    }

    /// <summary>Makes blob <paramref name="hash"/> local: downloaded to a temp file, hashed, and only then stored.</summary>
    private async Task EnsureBlobAsync(string hash, Counters counters, CancellationToken cancellationToken)
    {
        if (await _local.IsIntactAsync(hash, cancellationToken).ConfigureAwait(false)) return;
        Directory.CreateDirectory(_temp);
        string temp = Path.Combine(_temp, "remote-" + Guid.NewGuid().ToString("N"));
        try
        {
            if (!await _remote.DownloadBlobAsync(hash, temp, cancellationToken).ConfigureAwait(false))
            {
                _index.RemoveBlob(hash);
                throw new RemoteIntegrityException($"remote {_remote.Location} lists an entry whose blob {hash} is missing; not imported.");
            }
            string actual = await ContentHasher.HashFileAsync(temp, cancellationToken).ConfigureAwait(false);
            if (actual != hash)
                throw new RemoteIntegrityException($"blob {hash} from remote {_remote.Location} is corrupt (its bytes hash to {actual}); not imported. Push it again from a workspace that has it.");
            long length = new FileInfo(temp).Length;
            await _local.PutFileAsync(temp, move: true, cancellationToken).ConfigureAwait(false);
            _index.AddBlob(hash);
            Interlocked.Increment(ref counters.Files);
            Interlocked.Add(ref counters.Bytes, length);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Every blob an entry needs (outputs and the files of directory outputs), or null when one is not intact locally.</summary>
    private async Task<IReadOnlyList<string>?> LocalBlobsAsync(RunCacheEntry entry, CancellationToken cancellationToken)
    {
        var blobs = new List<string>();
        foreach (var output in entry.Outputs.Values)
        {
            if (!await _local.IsIntactAsync(output.Hash, cancellationToken).ConfigureAwait(false)) return null;
            blobs.Add(output.Hash);
            if (!output.IsDirectory) continue;
            foreach (var (_, hash) in await _cache.ReadManifestAsync(output.Hash, cancellationToken).ConfigureAwait(false))
            {
                if (!await _local.IsIntactAsync(hash, cancellationToken).ConfigureAwait(false)) return null;
                blobs.Add(hash);
            }
        }
        return blobs;
    }

    private static RunCacheEntry? Parse(byte[] bytes, string fingerprint)
    {
        try
        {
            var entry = JsonSerializer.Deserialize<RunCacheEntry>(bytes, LocalArtifactStore.EntryJson);
            // An entry filed under another fingerprint would restore the wrong outputs: treat it as absent.
            return entry?.Fingerprint == fingerprint && entry.Outputs.Values.All(o => RemoteLayout.IsHash(o.Hash)) ? entry : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<(string Pipeline, string Id, LockedStage Stage)> Stages(LockFile lockFile) =>
        lockFile.Pipelines.SelectMany(p => lockFile.Stages(p).Select(s => (p, s.Key, s.Value)));

    private Task ForEachAsync(IEnumerable<string> items, Func<string, CancellationToken, Task> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = _jobs, CancellationToken = cancellationToken }, async (item, ct) => await body(item, ct).ConfigureAwait(false));

    /// <summary>Counts finished items and reports them; safe from parallel transfers.</summary>
    private sealed class ProgressTracker(int total, IProgress<TransferProgress>? progress)
    {
        private int _done;

        public void Done(string item) => progress?.Report(new TransferProgress(Interlocked.Increment(ref _done), total, item));
    }
}
