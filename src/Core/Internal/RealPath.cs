namespace Pipelines.Core.Internal;

/// <summary>
/// A path with <c>..</c> and every symbolic link along it resolved, as far as it exists: what the operating system
/// would really write to. .NET resolves one link at a time, so each existing component is checked in turn.
/// </summary>
internal static class RealPath
{
    private const int MaxLinks = 40; // Linux's own limit (ELOOP)

    public static string Of(string path)
    {
        int links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    /// <summary>Whether <paramref name="path"/> is <paramref name="directory"/> or lies below it (both real paths).</summary>
    public static bool IsWithin(string path, string directory) =>
        string.Equals(path, directory, Comparison)
        || path.StartsWith(Path.EndsInDirectorySeparator(directory) ? directory : directory + Path.DirectorySeparatorChar, Comparison);

    private static StringComparison Comparison => OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;

    private static string Resolve(string full, ref int links)
    {
        string root = Path.GetPathRoot(full)!;
        string current = root;
        var segments = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (int i = 0; i < segments.Length; i++)
        {
            string next = Path.Combine(current, segments[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } target)
            {
                if (++links > MaxLinks) throw new IOException($"{full}: too many levels of symbolic links.");
                string resolved = Path.GetFullPath(target, current);
                next = Resolve(resolved, ref links);
            }
            else if (!info.Exists && !Directory.Exists(next))
            {
                // Nothing below here exists: no more links to follow.
                return Path.Combine([next, .. segments[(i + 1)..]]);
            }
            current = next;
        }
        return current;
    }
}
