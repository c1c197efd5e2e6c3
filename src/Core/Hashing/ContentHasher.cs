using System.Buffers;
using System.IO.Hashing;
using System.Text;

namespace Pipelines.Core.Hashing;

/// <summary>
/// XxHash128 content hashes as 32 lower-case hex characters. A directory hashes the sorted manifest of
/// (relative path, file hash) lines, so it depends on names and contents only.
/// </summary>
public static class ContentHasher
{
    private const int BufferSize = 1 << 20;

    /// <summary>The hash of bytes.</summary>
    public static string HashBytes(ReadOnlySpan<byte> data) => Convert.ToHexStringLower(XxHash128.Hash(data));

    /// <summary>The hash of a string's UTF-8 bytes.</summary>
    public static string HashText(string text) => HashBytes(Encoding.UTF8.GetBytes(text));

    /// <summary>The hash of a file's bytes, read in 1 MiB blocks.</summary>
    public static async Task<string> HashFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var hasher = new XxHash128();
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan | FileOptions.Asynchronous);
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
                hasher.Append(buffer.AsSpan(0, read));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return Convert.ToHexStringLower(hasher.GetCurrentHash());
    }

    /// <summary>The manifest of a directory: sorted lines "relative/path\thash", '/' separators.</summary>
    public static Task<string> ManifestAsync(string directory, CancellationToken cancellationToken = default) =>
        ManifestAsync(directory, path => HashFileAsync(path, cancellationToken));

    /// <summary>
    /// The manifest of a directory with each file's hash from <paramref name="hashFile"/> (which may also store the
    /// file, or answer from a cache). The one place the manifest format is written, so every directory hash agrees.
    /// </summary>
    public static async Task<string> ManifestAsync(string directory, Func<string, Task<string>> hashFile)
    {
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(f => (Relative: Path.GetRelativePath(directory, f).Replace('\\', '/'), Full: f))
            .OrderBy(f => f.Relative, StringComparer.Ordinal)
            .ToArray();
        var builder = new StringBuilder();
        foreach (var (relative, full) in files)
            builder.Append(relative).Append('\t').Append(await hashFile(full).ConfigureAwait(false)).Append('\n');
        return builder.ToString();
    }

    /// <summary>The hash of a directory (the hash of its manifest).</summary>
    public static async Task<string> HashDirectoryAsync(string directory, CancellationToken cancellationToken = default) =>
        HashText(await ManifestAsync(directory, cancellationToken).ConfigureAwait(false));

    /// <summary>The hash of a file or directory.</summary>
    public static Task<string> HashPathAsync(string path, CancellationToken cancellationToken = default) =>
        Directory.Exists(path) ? HashDirectoryAsync(path, cancellationToken) : HashFileAsync(path, cancellationToken);

    /// <summary>Parses a manifest back into (relative path, hash) pairs.</summary>
    public static IEnumerable<(string Path, string Hash)> ParseManifest(string manifest)
    {
        foreach (var line in manifest.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int tab = line.LastIndexOf('\t');
            if (tab <= 0) throw new InvalidDataException($"Malformed manifest line '{line}'.");
            yield return (line[..tab], line[(tab + 1)..]);
        }
    }
}
