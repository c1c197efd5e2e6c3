using System.Runtime.CompilerServices;

namespace Pipelines.Core.Remotes;

/// <summary>
/// A remote on a shared filesystem (NFS, a mounted volume): <c>DIR/blobs/ab/cdef…</c> and <c>DIR/runs/FP.json</c>.
/// Every upload is written to <c>DIR/tmp/</c>, fsynced and renamed into place, so other machines and processes
/// see a complete file under its name or none; <c>tmp/</c> is on the same filesystem, which keeps the rename atomic.
/// </summary>
public sealed class DirectoryRemote : IRemoteStore
{
    private readonly string _root;
    private readonly string _temp;

    /// <summary>Creates the remote rooted at <paramref name="root"/> (created on first upload).</summary>
    public DirectoryRemote(string root)
    {
        _root = Path.GetFullPath(root);
        _temp = Path.Combine(_root, "tmp");
    }

    /// <inheritdoc />
    public string Location => _root;

    /// <inheritdoc />
    public Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(RemoteLayout.Blob(hash))));

    /// <inheritdoc />
    public async Task UploadBlobAsync(string hash, string sourcePath, CancellationToken cancellationToken = default)
    {
        string temp = NewTemp();
        try
        {
            await using (var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous))
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous))
            {
                await source.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
                target.Flush(flushToDisk: true);
            }
            Publish(temp, PathOf(RemoteLayout.Blob(hash)));
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <inheritdoc />
    public async Task<bool> DownloadBlobAsync(string hash, string targetPath, CancellationToken cancellationToken = default)
    {
        string path = PathOf(RemoteLayout.Blob(hash));
        if (!File.Exists(path)) return false;
        try
        {
            await using var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
            await using var target = new FileStream(targetPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
            await source.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (FileNotFoundException)
        {
            return false; // removed between the check and the open (a gc of the remote)
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListBlobsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        string blobs = Path.Combine(_root, "blobs");
        if (!Directory.Exists(blobs)) yield break;
        foreach (var file in Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (RemoteLayout.HashOf(Path.GetRelativePath(_root, file).Replace('\\', '/')) is { } hash) yield return hash;
        }
    }

    /// <inheritdoc />
    public async Task<byte[]?> GetRunEntryAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        string path = PathOf(RemoteLayout.Run(fingerprint));
        try
        {
            return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false) : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task PutRunEntryAsync(string fingerprint, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default)
    {
        string temp = NewTemp();
        try
        {
            await using (var target = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await target.WriteAsync(entry, cancellationToken).ConfigureAwait(false);
                target.Flush(flushToDisk: true);
            }
            string final = PathOf(RemoteLayout.Run(fingerprint));
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            File.Move(temp, final, overwrite: true); // an entry may be rewritten (a newer run of the same fingerprint)
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    private string NewTemp()
    {
        Directory.CreateDirectory(_temp);
        return Path.Combine(_temp, $"{Environment.ProcessId}-{Guid.NewGuid():N}");
    }

    private static void Publish(string temp, string final)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(final)!);
        try
        {
            File.Move(temp, final, overwrite: false);
        }
        catch (IOException) when (File.Exists(final))
        {
            // Another machine published the same content first; blobs are immutable, so theirs is as good as ours.
        }
    }

    private string PathOf(string relative) => Path.Combine(_root, relative);
}
