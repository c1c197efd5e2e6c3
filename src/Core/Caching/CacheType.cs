namespace Pipelines.Core.Caching;

/// <summary>
/// How a cached artifact is made to appear at its output path (DVC's <c>cache.type</c>). Reflinks and copies are
/// the user's own files: writing into them never reaches the cache. Links are cheaper but "protected": the file
/// is the blob, so it is read-only and a write (which root can still make) is caught by the blob check.
/// </summary>
public enum CacheType
{
    /// <summary>A copy-on-write clone where the filesystem supports it (btrfs, XFS, APFS), else a copy. The default.</summary>
    Reflink,

    /// <summary>A full copy.</summary>
    Copy,

    /// <summary>A hard link to the blob (protected; falls back to a copy across filesystems).</summary>
    Hardlink,

    /// <summary>A symbolic link to the blob (protected).</summary>
    Symlink,
}
