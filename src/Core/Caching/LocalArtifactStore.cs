using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipelines.Core.Hashing;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Caching;

/// <summary>
/// The store in <c>.pipelines/cache/&lt;xx&gt;/&lt;hash&gt;</c> with run-cache entries in
/// <c>.pipelines/runs-cache/&lt;fingerprint&gt;.json</c>. Blobs are hashed, fsynced and renamed into place, so a
/// crash never leaves a blob under a hash it does not have. A stored blob is read-only and carries a fixed
/// modification time (as the Nix store does), so any later write shows in one <c>stat</c>: such a blob is re-hashed
/// before it is served or kept, and evicted when its bytes changed.
/// </summary>
public sealed class LocalArtifactStore : IArtifactStore
{
    /// <summary>How run-cache entries are written, here and on remotes (one format, so an entry round-trips byte for byte).</summary>
    internal static readonly JsonSerializerOptions EntryJson = new() { WriteIndented = true, Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) } };
    private readonly string _blobs;
    private readonly string _runs;
    private readonly string _temp;
    private readonly ILogger _logger;

    /// <summary>The modification time of every stored blob: 1970-01-01T00:00:01Z.</summary>
    public static readonly DateTime BlobTime = DateTime.UnixEpoch.AddSeconds(1);

    /// <summary>Creates a store rooted at a workspace's <c>.pipelines</c> directory.</summary>
    public LocalArtifactStore(string stateDirectory, ILogger? logger = null)
    {
        _blobs = Path.Combine(stateDirectory, "cache");
        _runs = Path.Combine(stateDirectory, "runs-cache");
        _temp = Path.Combine(_blobs, "tmp");
        _logger = logger ?? NullLogger.Instance;
        Directory.CreateDirectory(_temp);
        Directory.CreateDirectory(_runs);
    }

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(BlobPath(hash)));

    /// <inheritdoc />
    public async Task<bool> IsIntactAsync(string hash, CancellationToken cancellationToken = default)
    {
        string path = BlobPath(hash);
        var info = new FileInfo(path);
        if (!info.Exists) return false;
        if (LooksUntouched(info)) return true;
        if (await ContentHasher.HashFileAsync(path, cancellationToken).ConfigureAwait(false) == hash)
        {
            Seal(path); // only its time or mode changed
            return true;
        }
        _logger.LogWarning("Blob {Hash} was modified after it was stored (a write through a link?); evicted, it will be recomputed.", hash);
        File.Delete(path);
        return false;
    }

    /// <inheritdoc />
    public Task<Stream> OpenReadAsync(string hash, CancellationToken cancellationToken = default) =>
        Task.FromResult<Stream>(new FileStream(BlobPath(hash), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous));

    /// <inheritdoc />
    public string? LocalPath(string hash) => BlobPath(hash);

    /// <inheritdoc />
    public async Task<string> PutFileAsync(string sourcePath, bool move, CancellationToken cancellationToken = default)
    {
        if (move)
        {
            string hash = await ContentHasher.HashFileAsync(sourcePath, cancellationToken).ConfigureAwait(false);
            AtomicFile.Sync(sourcePath);
            await PublishAsync(sourcePath, hash, cancellationToken).ConfigureAwait(false);
            return hash;
        }
        string temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        try
        {
            var hasher = new XxHash128();
            await using (var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous))
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                var buffer = new byte[1 << 20];
                int read;
                while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hasher.Append(buffer.AsSpan(0, read));
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }
                target.Flush(flushToDisk: true);
            }
            string hash = Convert.ToHexStringLower(hasher.GetCurrentHash());
            await PublishAsync(temp, hash, cancellationToken).ConfigureAwait(false);
            return hash;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public async Task<string> PutBytesAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        string hash = ContentHasher.HashBytes(data.Span);
        if (await IsIntactAsync(hash, cancellationToken).ConfigureAwait(false)) return hash;
        string temp = Path.Combine(_temp, Guid.NewGuid().ToString("N"));
        try
        {
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await target.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                target.Flush(flushToDisk: true);
            }
            await PublishAsync(temp, hash, cancellationToken).ConfigureAwait(false);
            return hash;
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var dir in Directory.EnumerateDirectories(_blobs).Order(StringComparer.Ordinal))
        {
            string prefix = Path.GetFileName(dir);
            if (prefix.Length != 2) continue;
            foreach (var file in Directory.EnumerateFiles(dir).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return prefix + Path.GetFileName(file);
            }
        }
    }

    /// <inheritdoc />
    public Task DeleteAsync(string hash, CancellationToken cancellationToken = default)
    {
        string path = BlobPath(hash);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<RunCacheEntry?> GetRunCacheEntryAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        string path = RunPath(fingerprint);
        if (!File.Exists(path)) return null;
        try
        {
            await using var stream = File.OpenRead(path);
            var entry = await JsonSerializer.DeserializeAsync<RunCacheEntry>(stream, EntryJson, cancellationToken).ConfigureAwait(false);
            if (entry is null || entry.Fingerprint != fingerprint) throw new JsonException("the entry names another fingerprint");
            return entry;
        }
        catch (JsonException ex)
        {
            _logger.LogWarning("Run-cache entry {Path} is corrupt ({Reason}); deleted and treated as a miss.", path, ex.Message);
            File.Delete(path);
            return null;
        }
    }

    /// <inheritdoc />
    public Task PutRunCacheEntryAsync(RunCacheEntry entry, CancellationToken cancellationToken = default) =>
        AtomicFile.WriteAllBytesAsync(RunPath(entry.Fingerprint), JsonSerializer.SerializeToUtf8Bytes(entry, EntryJson), cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<RunCacheEntry> ListRunCacheEntriesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var file in Directory.EnumerateFiles(_runs, "*.json").Order(StringComparer.Ordinal))
        {
            if (await GetRunCacheEntryAsync(Path.GetFileNameWithoutExtension(file), cancellationToken).ConfigureAwait(false) is { } entry)
                yield return entry;
        }
    }

    /// <inheritdoc />
    public Task DeleteRunCacheEntryAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        string path = RunPath(fingerprint);
        if (File.Exists(path)) File.Delete(path);
        return Task.CompletedTask;
    }

    private async Task PublishAsync(string completeFile, string hash, CancellationToken cancellationToken)
    {
        string target = BlobPath(hash);
        if (File.Exists(target))
        {
            // Keep the stored copy only while it is what its name says; a blob written through a link is replaced.
            if (LooksUntouched(new FileInfo(target)) || await ContentHasher.HashFileAsync(target, cancellationToken).ConfigureAwait(false) == hash)
            {
                Seal(target);
                File.Delete(completeFile);
                return;
            }
            _logger.LogWarning("Blob {Hash} was modified after it was stored; replaced by the bytes just computed.", hash);
            File.Delete(target);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Seal(completeFile);
        try
        {
            File.Move(completeFile, target, overwrite: false);
        }
        catch (IOException) when (File.Exists(target))
        {
            File.Delete(completeFile); // another writer published the same content first
        }
    }

    private static bool LooksUntouched(FileInfo blob) =>
        blob.LastWriteTimeUtc == BlobTime && (OperatingSystem.IsWindows() ? blob.IsReadOnly : (blob.UnixFileMode & WriteBits) == 0);

    private static void Seal(string path)
    {
        if (OperatingSystem.IsWindows()) File.SetAttributes(path, FileAttributes.Normal);
        else File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetLastWriteTimeUtc(path, BlobTime);
        if (OperatingSystem.IsWindows()) File.SetAttributes(path, FileAttributes.ReadOnly);
        else File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
    }

    private const UnixFileMode WriteBits = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;

    private string BlobPath(string hash)
    {
        if (hash.Length < 8 || !hash.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"'{hash}' is not a content hash.", nameof(hash));
        return Path.Combine(_blobs, hash[..2], hash[2..]);
    }

    private string RunPath(string fingerprint) => Path.Combine(_runs, fingerprint + ".json");
}
