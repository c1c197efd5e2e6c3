using Pipelines.Core.Caching;
using Pipelines.Core.Internal;

namespace Pipelines.Core.Cards;

/// <summary>
/// A folder ready to upload to the Hugging Face Hub: a trained stage's adapter files copied from the cache, with the
/// model card (<c>README.md</c>) and the data card beside them.
/// </summary>
public static class CardFolder
{
    /// <summary>Marks a folder written here, so a later card may replace it and nothing else is ever replaced.</summary>
    private const string Marker = ".pipelines-card";

    /// <summary>Whether <paramref name="directory"/> is a card folder written by <see cref="WriteAsync"/>.</summary>
    public static bool WroteIt(string directory) => File.Exists(Path.Combine(directory, Marker));

    /// <summary>The adapter files from the cache, the two cards beside them; assembled beside the target and swapped in whole.</summary>
    public static async Task WriteAsync(Workspace workspace, Card card, string directory, CancellationToken cancellationToken)
    {
        var adapter = LockFile.Load(workspace.LockFilePath).Stages(card.Pipeline)[card.Stage].Outputs.GetValueOrDefault("adapter");
        Directory.CreateDirectory(Path.GetDirectoryName(directory)!);
        string assembly = SiblingTemp.For(directory);
        try
        {
            var cache = new ArtifactCache(new LocalArtifactStore(workspace.StateDirectory), CacheType.Copy);
            if (adapter.Hash is not null && await cache.ExistsAsync(adapter.Hash, isDirectory: true, cancellationToken).ConfigureAwait(false))
                await cache.MaterializeAsync(adapter.Hash, isDirectory: true, assembly, cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(assembly);
            await File.WriteAllTextAsync(Path.Combine(assembly, CardMarkdown.ModelCardFile), CardMarkdown.ModelCard(card), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(assembly, CardMarkdown.DataCardFile), CardMarkdown.DataCard(card), cancellationToken).ConfigureAwait(false);
            await File.WriteAllTextAsync(Path.Combine(assembly, Marker), "Written by `pipelines card`; the folder is replaced whole by the next one.\n", cancellationToken).ConfigureAwait(false);
            if (Directory.Exists(directory))
            {
                string old = SiblingTemp.Aside(directory);
                Directory.Move(directory, old);
                Directory.Move(assembly, directory);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(assembly, directory);
            }
        }
        finally
        {
            if (Directory.Exists(assembly)) Directory.Delete(assembly, recursive: true);
        }
    }
}
