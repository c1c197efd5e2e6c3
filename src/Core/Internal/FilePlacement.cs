using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Pipelines.Core.Caching;

namespace Pipelines.Core.Internal;

/// <summary>Places a blob at a path as a reflink, copy, hard link or symbolic link (<see cref="CacheType"/>).</summary>
internal static partial class FilePlacement
{
    private const ulong Ficlone = 0x40049409; // _IOW(0x94, 9, int) from linux/fs.h
    private const UnixFileMode UserFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static bool s_cloneUnavailable = !OperatingSystem.IsLinux();

    /// <summary>Creates <paramref name="target"/> (which must not exist) from the blob.</summary>
    public static void Place(string blob, string target, CacheType type)
    {
        if (type == CacheType.Symlink) File.CreateSymbolicLink(target, blob);
        else if (type == CacheType.Hardlink && !OperatingSystem.IsWindows() && TryHardLink(blob, target)) return;
        else
        {
            if (type != CacheType.Reflink || !TryClone(blob, target)) File.Copy(blob, target);
            MakeUserFile(target);
        }
    }

    /// <summary>
    /// Renames <paramref name="source"/> (a file or directory) onto <paramref name="target"/>. A file replaces a file
    /// atomically; anything else at the target is first moved aside and removed once the new one is in place.
    /// </summary>
    public static void Replace(string source, string target)
    {
        var existing = new FileInfo(target);
        bool isFileOrLink = existing.Exists || existing.LinkTarget is not null;
        if (Directory.Exists(source) || (!isFileOrLink && Directory.Exists(target)))
        {
            string aside = SiblingTemp.Aside(target);
            bool moved = false;
            if (isFileOrLink) { File.Move(target, aside); moved = true; }
            else if (Directory.Exists(target)) { Directory.Move(target, aside); moved = true; }
            if (Directory.Exists(source)) Directory.Move(source, target);
            else File.Move(source, target);
            if (moved) Remove(aside);
            return;
        }
        File.Move(source, target, overwrite: true);
    }

    /// <summary>Deletes a file, link or directory (a directory link is unlinked, never followed).</summary>
    public static void Remove(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null || File.Exists(path)) File.Delete(path);
        else if (info.Exists) info.Delete(recursive: true);
    }

    /// <summary>A copy is the user's: writable, and timed now rather than with the blob's fixed time.</summary>
    private static void MakeUserFile(string target)
    {
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(target, UserFile);
        else File.SetAttributes(target, FileAttributes.Normal);
        File.SetLastWriteTimeUtc(target, DateTime.UtcNow);
    }

    private static bool TryHardLink(string blob, string target)
    {
        try
        {
            return Link(blob, target) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private static bool TryClone(string blob, string target)
    {
        if (s_cloneUnavailable) return false;
        bool cloned = false;
        try
        {
            using var source = File.OpenHandle(blob, FileMode.Open, FileAccess.Read);
            using var destination = File.OpenHandle(target, FileMode.CreateNew, FileAccess.Write);
            cloned = Ioctl(destination, Ficlone, source) == 0; // EOPNOTSUPP or EXDEV: not a CoW filesystem, or another one
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            s_cloneUnavailable = true;
        }
        if (!cloned && File.Exists(target)) File.Delete(target);
        return cloned;
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string oldPath, string newPath);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(SafeFileHandle fd, ulong request, SafeFileHandle sourceFd);
}
