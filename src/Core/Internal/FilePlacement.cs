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
