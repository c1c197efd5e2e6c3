using System.Buffers;

namespace Pipelines.Core.Internal;

/// <summary>
/// The temp names written beside a target before it is renamed into place (<c>.name.&lt;guid&gt;.tmp</c>), and the
/// name a replaced target is moved aside to (<c>name.&lt;guid&gt;.old</c>). A process killed between the two steps
/// leaves one behind; the next writer of the same target removes it.
/// </summary>
internal static class SiblingTemp
{
    private const int GuidLength = 32; // Guid "N" format
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    /// <summary>A fresh temp name beside <paramref name="target"/> (same filesystem, so the final rename is atomic).</summary>
    public static string For(string target)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>A fresh name to move an existing <paramref name="target"/> aside to while its replacement lands.</summary>
    public static string Aside(string target) => $"{Path.GetFullPath(target)}.{Guid.NewGuid():N}.old";

    /// <summary>
    /// Removes the temps and set-aside copies a killed process left beside <paramref name="target"/>. Only names of
    /// exactly the two patterns above match, so nothing a user made is touched; callers hold the workspace lock, so
    /// no live writer of the same target exists.
    /// </summary>
    public static void RemoveStale(string target)
    {
        string full = Path.GetFullPath(target);
        string name = Path.GetFileName(full);
        RemoveWhere(Path.GetDirectoryName(full)!, entryName => IsLeftover(entryName, "." + name + ".", ".tmp") || IsLeftover(entryName, name + ".", ".old"));
    }

    /// <summary>Removes every temp of the pattern above in <paramref name="directory"/> (the tool's own state folders).</summary>
    public static void RemoveAllStale(string directory) => RemoveWhere(directory, IsAnyTemp);

    private static void RemoveWhere(string directory, Func<string, bool> isLeftover)
    {
        if (!Directory.Exists(directory)) return;
        foreach (string entry in Directory.EnumerateFileSystemEntries(directory))
            if (isLeftover(Path.GetFileName(entry))) FilePlacement.Remove(entry);
    }

    private static bool IsLeftover(string entryName, string prefix, string suffix) =>
        entryName.Length == prefix.Length + GuidLength + suffix.Length
        && entryName.StartsWith(prefix, StringComparison.Ordinal) && entryName.EndsWith(suffix, StringComparison.Ordinal)
        && IsGuid(entryName.AsSpan(prefix.Length, GuidLength));

    // ".<name>.<guid>.tmp" for any name
    private static bool IsAnyTemp(string entryName) =>
        entryName.Length > GuidLength + 6 && entryName[0] == '.' && entryName.EndsWith(".tmp", StringComparison.Ordinal)
        && entryName[^(GuidLength + 5)] == '.' && IsGuid(entryName.AsSpan(entryName.Length - GuidLength - 4, GuidLength));

    private static bool IsGuid(ReadOnlySpan<char> text) => !text.ContainsAnyExcept(LowerHex);
}
