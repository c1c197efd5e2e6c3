using System.Text.Json;
using System.Text.Json.Serialization;
using Pipelines.Core.Hashing;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Caching;

/// <summary>
/// Remembers the hash of each external input file by (path, size, modification time, inode) in
/// <c>.pipelines/state.json</c>, so an unchanged multi-GB input is not read again on every run, while an edit or a
/// different file moved into its place is.
/// </summary>
public sealed class ExternalInputState
{
    private readonly string _path;
    private readonly Dictionary<string, Entry> _entries;
    private readonly Lock _gate = new();
    private bool _dirty;

    private ExternalInputState(string path, Dictionary<string, Entry> entries)
    {
        _path = path;
        _entries = entries;
    }

    /// <summary>Number of files actually read and hashed (not answered from the state) since loading.</summary>
    public int FilesHashed { get; private set; }

    /// <summary>Loads the state file (a missing or corrupt one starts empty).</summary>
    public static ExternalInputState Load(string stateDirectory)
    {
        string path = Path.Combine(stateDirectory, "state.json");
        Dictionary<string, Entry>? entries = null;
        if (File.Exists(path))
        {
            try { entries = JsonSerializer.Deserialize<Dictionary<string, Entry>>(File.ReadAllBytes(path)); }
            catch (JsonException) { entries = null; }
        }
        return new ExternalInputState(path, entries ?? new Dictionary<string, Entry>(StringComparer.Ordinal));
    }

    /// <summary>The content hash of a file or directory, re-reading only files whose size or time changed.</summary>
    public async Task<string> HashAsync(string path, CancellationToken cancellationToken = default)
    {
        if (File.Exists(path)) return await HashFileAsync(path, cancellationToken).ConfigureAwait(false);
        return ContentHasher.HashText(await ContentHasher.ManifestAsync(path, file => HashFileAsync(file, cancellationToken)).ConfigureAwait(false));
    }

    /// <summary>Writes the state back if anything changed.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        byte[] bytes;
        lock (_gate)
        {
            if (!_dirty) return;
            bytes = JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, Entry>(_entries, StringComparer.Ordinal));
            _dirty = false;
        }
        await AtomicFile.WriteAllBytesAsync(_path, bytes, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string> HashFileAsync(string path, CancellationToken cancellationToken)
    {
        string key = Path.GetFullPath(path);
        var info = new FileInfo(key);
        long size = info.Length, ticks = info.LastWriteTimeUtc.Ticks;
        ulong inode = FileIdentity.InodeOf(key);
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var known) && known.Size == size && known.ModifiedTicks == ticks && known.Inode == inode) return known.Hash;
        }
        string hash = await ContentHasher.HashFileAsync(key, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            _entries[key] = new Entry(size, ticks, hash) { Inode = inode };
            _dirty = true;
            FilesHashed++;
        }
        return hash;
    }

    private sealed record Entry(
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("mtime")] long ModifiedTicks,
        [property: JsonPropertyName("hash")] string Hash)
    {
        /// <summary>0 where the platform has none (and in state files written before it was recorded).</summary>
        [JsonPropertyName("inode")] public ulong Inode { get; init; }
    }
}
