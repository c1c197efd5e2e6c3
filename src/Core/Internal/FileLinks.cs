using System.Runtime.InteropServices;

namespace Pipelines.Core.Internal;

/// <summary>Hard links where the OS allows them, copies otherwise.</summary>
internal static partial class FileLinks
{
    public static void LinkOrCopy(string source, string target)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
        if (File.Exists(target)) File.Delete(target);
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                if (Link(source, target) == 0) return;
            }
            catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
            {
                // fall through to a copy
            }
        }
        File.Copy(source, target, overwrite: true);
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Link(string oldPath, string newPath);
}
