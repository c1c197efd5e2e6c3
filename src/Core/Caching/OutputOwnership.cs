using System.Text.Json;
using System.Text.Json.Serialization;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Caching;

/// <summary>
/// The outputs this workspace has materialised, in <c>.pipelines/outputs.json</c>: for each path (relative to the
/// workspace root) the artifact hash and every file's (size, modification time, inode) as placed. It answers two
/// questions without reading content: may the tool replace what is at a path (only if it wrote it), and is what
/// it wrote still there untouched (then a no-op run leaves it alone).
/// </summary>
public sealed class OutputOwnership
{
    private readonly string _path;
    private readonly string _root;
    private readonly Dictionary<string, OwnedOutput> _outputs;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _saving = new(1, 1);
    private bool _dirty;

    private OutputOwnership(string path, string root, Dictionary<string, OwnedOutput> outputs)
    {
        _path = path;
        _root = root;
        _outputs = outputs;
    }

    /// <summary>Loads the record of a workspace (a missing or unreadable one starts empty: nothing is owned).</summary>
    public static OutputOwnership Load(Workspace workspace)
    {
        string path = Path.Combine(workspace.StateDirectory, "outputs.json");
        Dictionary<string, OwnedOutput>? outputs = null;
        if (File.Exists(path))
        {
            try { outputs = JsonSerializer.Deserialize<Dictionary<string, OwnedOutput>>(File.ReadAllBytes(path)); }
            catch (JsonException) { outputs = null; }
        }
        return new OutputOwnership(path, workspace.Root, new Dictionary<string, OwnedOutput>(outputs ?? [], StringComparer.Ordinal));
    }

    /// <summary>Whether this workspace materialised something at <paramref name="fullPath"/>.</summary>
    public bool Owns(string fullPath)
    {
        lock (_gate) return _outputs.ContainsKey(KeyOf(fullPath));
    }

    /// <summary>
    /// Whether <paramref name="fullPath"/> still holds artifact <paramref name="hash"/> exactly as placed: the same
    /// files with the same size, time and inode. Any doubt answers false, and the caller places it again.
    /// </summary>
    public bool IsIntact(string fullPath, string hash)
    {
        OwnedOutput? owned;
        lock (_gate) _outputs.TryGetValue(KeyOf(fullPath), out owned);
        if (owned is null || owned.Hash != hash) return false;
        if (!owned.IsDirectory) return owned.Files.Count == 1 && Matches(fullPath, owned.Files[0]);
        if (!Directory.Exists(fullPath) || new DirectoryInfo(fullPath).LinkTarget is not null) return false;
        var present = Directory.EnumerateFiles(fullPath, "*", SearchOption.AllDirectories).Select(f => Relative(fullPath, f)).Order(StringComparer.Ordinal).ToArray();
        return present.SequenceEqual(owned.Files.Select(f => f.Path))
            && owned.Files.All(f => Matches(Path.Combine(fullPath, f.Path), f));
    }

    /// <summary>Records that artifact <paramref name="hash"/> was just placed at <paramref name="fullPath"/>.</summary>
    public void Record(string fullPath, string hash, bool isDirectory)
    {
        var files = isDirectory
            ? Directory.EnumerateFiles(fullPath, "*", SearchOption.AllDirectories).Select(f => Relative(fullPath, f)).Order(StringComparer.Ordinal)
                .Select(relative => StampOf(Path.Combine(fullPath, relative), relative)).ToList()
            : [StampOf(fullPath, "")];
        lock (_gate)
        {
            _outputs[KeyOf(fullPath)] = new OwnedOutput(hash, isDirectory, files);
            _dirty = true;
        }
    }

    /// <summary>
    /// Claims a path before anything is placed there, so that a run killed halfway still knows the path is its own.
    /// Returns false when the path was already claimed or recorded.
    /// </summary>
    public bool Claim(string fullPath)
    {
        lock (_gate)
        {
            if (!_outputs.TryAdd(KeyOf(fullPath), new OwnedOutput("", false, []))) return false;
            _dirty = true;
            return true;
        }
    }

    /// <summary>Forgets a path the tool no longer has anything at.</summary>
    public void Forget(string fullPath)
    {
        lock (_gate) _dirty |= _outputs.Remove(KeyOf(fullPath));
    }

    /// <summary>Writes the record back (temp file and rename) if anything changed.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        // One writer at a time, so an older snapshot never lands after a newer one.
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            byte[] bytes;
            lock (_gate)
            {
                if (!_dirty) return;
                bytes = JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, OwnedOutput>(_outputs, StringComparer.Ordinal), JsonOptions);
                _dirty = false;
            }
            await AtomicFile.WriteAllBytesAsync(_path, bytes, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _saving.Release();
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private string KeyOf(string fullPath) => Path.GetRelativePath(_root, Path.GetFullPath(fullPath)).Replace('\\', '/');

    private static string Relative(string directory, string file) => Path.GetRelativePath(directory, file).Replace('\\', '/');

    private static FileStamp StampOf(string path, string relative)
    {
        var info = new FileInfo(path);
        return new FileStamp(relative, info.Length, info.LastWriteTimeUtc.Ticks, FileIdentity.InodeOf(path));
    }

    private static bool Matches(string path, FileStamp stamp)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null) return false;
        return info.Length == stamp.Size && info.LastWriteTimeUtc.Ticks == stamp.ModifiedTicks && FileIdentity.InodeOf(path) == stamp.Inode;
    }

    private sealed record OwnedOutput(
        [property: JsonPropertyName("hash")] string Hash,
        [property: JsonPropertyName("directory")] bool IsDirectory,
        [property: JsonPropertyName("files")] List<FileStamp> Files);

    private sealed record FileStamp(
        [property: JsonPropertyName("path")] string Path,
        [property: JsonPropertyName("size")] long Size,
        [property: JsonPropertyName("mtime")] long ModifiedTicks,
        [property: JsonPropertyName("inode")] ulong Inode);
}
