using System.Runtime.InteropServices;

namespace Pipelines.Core.Internal;

/// <summary>
/// The inode of a file, so that a file replaced by another of the same size and time (a rename over it, a restore
/// from backup) is noticed. .NET has no inode API; Linux's <c>statx</c> has a layout that is the same on every
/// architecture, so one declaration serves. Elsewhere the inode is 0 and size + time decide alone.
/// </summary>
internal static partial class FileIdentity
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxInode = 0x100;
    private static bool s_unavailable = !OperatingSystem.IsLinux();

    /// <summary>The file's inode number, or 0 where the platform cannot say.</summary>
    public static ulong InodeOf(string path)
    {
        if (s_unavailable) return 0;
        try
        {
            return Statx(AtCurrentDirectory, path, 0, StatxInode, out var buffer) == 0 && (buffer.Mask & StatxInode) != 0 ? buffer.Inode : 0;
        }
        catch (Exception ex) when (ex is EntryPointNotFoundException or DllNotFoundException)
        {
            s_unavailable = true; // a C library without statx (glibc < 2.28, musl < 1.2.5)
            return 0;
        }
    }

    [LibraryImport("libc", EntryPoint = "statx", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer buffer);

    /// <summary><c>struct statx</c> (256 bytes); only the fields read here are named.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(32)] public ulong Inode;
    }
}
