using System.Text;
using Pipelines.Core.Hashing;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Caching;

/// <summary>
/// Artifacts (files and directories) on top of an <see cref="IArtifactStore"/>: a directory is stored as its
/// files' blobs plus a manifest blob whose hash is the directory's hash.
/// </summary>
public sealed class ArtifactCache
{
    /// <summary>Creates the cache over a store; outputs are placed as <paramref name="cacheType"/> says.</summary>
    public ArtifactCache(IArtifactStore store, CacheType cacheType = CacheType.Reflink)
    {
        Store = store;
        CacheType = cacheType;
    }

    /// <summary>How artifacts are placed at their output paths.</summary>
    public CacheType CacheType { get; }

    /// <summary>The underlying store.</summary>
    public IArtifactStore Store { get; }

    /// <summary>Stores a stage output (moving its files into the store) and returns its hash.</summary>
    public async Task<string> PutAsync(string path, bool isDirectory, CancellationToken cancellationToken = default)
    {
        if (!isDirectory)
        {
            if (!File.Exists(path)) throw new InvalidOperationException($"The stage did not write its output file {path}.");
            return await Store.PutFileAsync(path, move: true, cancellationToken).ConfigureAwait(false);
        }
        if (!Directory.Exists(path)) throw new InvalidOperationException($"The stage did not write its output directory {path}.");
        string manifest = await ContentHasher.ManifestAsync(path, file => Store.PutFileAsync(file, move: true, cancellationToken)).ConfigureAwait(false);
        return await Store.PutBytesAsync(Encoding.UTF8.GetBytes(manifest), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the artifact and (for directories) every file it lists are present and intact.</summary>
    public async Task<bool> ExistsAsync(string hash, bool isDirectory, CancellationToken cancellationToken = default)
    {
        if (!await Store.IsIntactAsync(hash, cancellationToken).ConfigureAwait(false)) return false;
        if (!isDirectory) return true;
        foreach (var (_, fileHash) in await ReadManifestAsync(hash, cancellationToken).ConfigureAwait(false))
            if (!await Store.IsIntactAsync(fileHash, cancellationToken).ConfigureAwait(false)) return false;
        return true;
    }

    /// <summary>The (relative path, hash) entries of a directory artifact.</summary>
    public async Task<IReadOnlyList<(string Path, string Hash)>> ReadManifestAsync(string hash, CancellationToken cancellationToken = default)
    {
        await using var stream = await Store.OpenReadAsync(hash, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return ContentHasher.ParseManifest(await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).ToArray();
    }

    /// <summary>
    /// Makes the artifact appear at <paramref name="target"/>, placed as <see cref="CacheType"/> says, replacing what
    /// is there. A directory is assembled beside the target and swapped in, so readers never see half of one. The
    /// caller decides whether what is there may be replaced (<see cref="OutputOwnership"/>).
    /// </summary>
    public async Task MaterializeAsync(string hash, bool isDirectory, string target, CancellationToken cancellationToken = default)
    {
        target = Path.GetFullPath(target);
        if (!isDirectory)
        {
            await PlaceAsync(hash, target, cancellationToken).ConfigureAwait(false);
            return;
        }
        string assembly = SiblingTemp.For(target);
        try
        {
            Directory.CreateDirectory(assembly);
            foreach (var (relative, fileHash) in await ReadManifestAsync(hash, cancellationToken).ConfigureAwait(false))
                await PlaceAsync(fileHash, Path.Combine(assembly, relative), cancellationToken).ConfigureAwait(false);
            FilePlacement.Replace(assembly, target);
        }
        finally
        {
            if (Directory.Exists(assembly)) Directory.Delete(assembly, recursive: true); // only ever the tool's own temp
        }
    }

    /// <summary>A path to read a file artifact from: the blob itself for local stores.</summary>
    public async Task<string> ReadablePathAsync(string hash, bool isDirectory, string scratch, CancellationToken cancellationToken = default)
    {
        if (!isDirectory && Store.LocalPath(hash) is { } local && File.Exists(local)) return local;
        string target = Path.Combine(scratch, hash);
        if (!Directory.Exists(target) && !File.Exists(target)) await MaterializeAsync(hash, isDirectory, target, cancellationToken).ConfigureAwait(false);
        return target;
    }

    private async Task PlaceAsync(string hash, string target, CancellationToken cancellationToken)
    {
        // Placed beside the target and renamed over it, so a crash never leaves a half-written output.
        string temp = SiblingTemp.For(target);
        try
        {
            if (Store.LocalPath(hash) is { } local && File.Exists(local))
            {
                FilePlacement.Place(local, temp, CacheType);
            }
            else
            {
                await using var source = await Store.OpenReadAsync(hash, cancellationToken).ConfigureAwait(false);
                await using var output = File.Create(temp);
                await source.CopyToAsync(output, cancellationToken).ConfigureAwait(false);
            }
            FilePlacement.Replace(temp, target);
        }
        finally
        {
            if (File.Exists(temp) || new FileInfo(temp).LinkTarget is not null) File.Delete(temp);
        }
    }
}
