using System.Text;

namespace Pipelines.Core.Remotes;

/// <summary>
/// What this workspace knows a remote holds, in <c>.pipelines/remotes/NAME.index</c>: one line per blob
/// (<c>blob HASH</c>) or run-cache entry (<c>run FINGERPRINT</c>) that was uploaded, found there or downloaded. With
/// it, <c>push</c> of an unchanged workspace asks the remote nothing (DVC's slow status is the lesson). The first line
/// names the remote's location; an index of another location (the URL was edited) is discarded. Lines are appended,
/// so a crash loses at most the last (which is ignored as malformed); a stale line (the remote was cleaned) is
/// corrected by <c>status --remote</c>.
/// </summary>
public sealed class RemoteIndex
{
    private const string Header = "# pipelines remote index v1 ";
    private readonly string _path;
    private readonly string _location;
    private readonly HashSet<string> _blobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _runs = new(StringComparer.Ordinal);
    private readonly List<string> _pending = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _saving = new(1, 1);
    private bool _rewrite;

    private RemoteIndex(string path, string location)
    {
        _path = path;
        _location = location;
    }

    /// <summary>The index file of remote <paramref name="name"/> under a workspace's <c>.pipelines</c>.</summary>
    public static string PathFor(string stateDirectory, string name) => Path.Combine(stateDirectory, "remotes", name + ".index");

    /// <summary>Loads the index at <paramref name="path"/> for a remote at <paramref name="location"/>; missing or of another location: empty.</summary>
    public static RemoteIndex Load(string path, string location)
    {
        var index = new RemoteIndex(path, location);
        if (!File.Exists(path)) return index;
        using var reader = new StreamReader(path, Encoding.UTF8);
        if (reader.ReadLine() != Header + location) return index;
        while (reader.ReadLine() is { } line)
        {
            var parts = line.Split(' ');
            if (parts.Length != 2 || !RemoteLayout.IsHash(parts[1])) continue;
            if (parts[0] == "blob") index._blobs.Add(parts[1]);
            else if (parts[0] == "run") index._runs.Add(parts[1]);
        }
        return index;
    }

    /// <summary>Whether the remote is known to hold the blob.</summary>
    public bool HasBlob(string hash) { lock (_gate) return _blobs.Contains(hash); }

    /// <summary>Whether the remote is known to hold the run-cache entry.</summary>
    public bool HasRun(string fingerprint) { lock (_gate) return _runs.Contains(fingerprint); }

    /// <summary>Records that the remote holds a blob (saved by <see cref="SaveAsync"/>).</summary>
    public void AddBlob(string hash) { lock (_gate) if (_blobs.Add(hash)) _pending.Add("blob " + hash); }

    /// <summary>Records that the remote holds a run-cache entry.</summary>
    public void AddRun(string fingerprint) { lock (_gate) if (_runs.Add(fingerprint)) _pending.Add("run " + fingerprint); }

    /// <summary>Forgets a blob the remote turned out not to hold; the file is rewritten on the next save.</summary>
    public void RemoveBlob(string hash) { lock (_gate) if (_blobs.Remove(hash)) _rewrite = true; }

    /// <summary>Forgets a run-cache entry the remote turned out not to hold.</summary>
    public void RemoveRun(string fingerprint) { lock (_gate) if (_runs.Remove(fingerprint)) _rewrite = true; }

    /// <summary>Appends what was learned since the last save (or rewrites the file after a removal).</summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        // Parallel fetches of one run save at once; appends from one process must not interleave.
        await _saving.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await SaveLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _saving.Release();
        }
    }

    private async Task SaveLockedAsync(CancellationToken cancellationToken)
    {
        string text;
        bool append;
        lock (_gate)
        {
            append = !_rewrite && File.Exists(_path) && FirstLine() == Header + _location;
            if (append && _pending.Count == 0) return;
            var lines = append ? _pending : [Header + _location, .. _blobs.Order(StringComparer.Ordinal).Select(b => "blob " + b), .. _runs.Order(StringComparer.Ordinal).Select(r => "run " + r)];
            text = string.Concat(lines.Select(l => l + "\n"));
            _pending.Clear();
            _rewrite = false;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
        if (append)
        {
            await File.AppendAllTextAsync(_path, text, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            string temp = _path + "." + Guid.NewGuid().ToString("N") + ".tmp";
            await File.WriteAllTextAsync(temp, text, cancellationToken).ConfigureAwait(false);
            File.Move(temp, _path, overwrite: true);
        }
    }

    private string? FirstLine()
    {
        using var reader = new StreamReader(_path, Encoding.UTF8);
        return reader.ReadLine();
    }
}
