using System.Text;

namespace Pipelines.Core.Internal;

/// <summary>Writes files through a temp file in the same directory, fsync and rename: readers see old or new, never half.</summary>
internal static class AtomicFile
{
    public static async Task WriteAllTextAsync(string path, string text, CancellationToken cancellationToken = default) =>
        await WriteAllBytesAsync(path, Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);

    public static async Task WriteAllBytesAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        string temp = SiblingTemp.For(path);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>fsyncs an existing file (before it is renamed into place).</summary>
    public static void Sync(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }
}
