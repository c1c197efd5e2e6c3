namespace Pipelines.Core.Remotes;

/// <summary>The relative names every remote uses: <c>blobs/ab/cdef…</c> (as the local cache) and <c>runs/FINGERPRINT.json</c>.</summary>
internal static class RemoteLayout
{
    public static string Blob(string hash) => CheckedHash(hash) is var h ? $"blobs/{h[..2]}/{h[2..]}" : "";

    public static string Run(string fingerprint) => $"runs/{CheckedHash(fingerprint)}.json";

    /// <summary>The hash a blob name under <c>blobs/</c> stands for, or null for anything else (a temp file).</summary>
    public static string? HashOf(string relative)
    {
        var parts = relative.Split('/');
        if (parts.Length != 3 || parts[0] != "blobs" || parts[1].Length != 2) return null;
        string hash = parts[1] + parts[2];
        return IsHash(hash) ? hash : null;
    }

    public static bool IsHash(string text) => text.Length >= 8 && text.All(char.IsAsciiHexDigitLower);

    // A name from a lock file or an index is input: never let it climb out of the remote's layout.
    private static string CheckedHash(string hash) =>
        IsHash(hash) ? hash : throw new ArgumentException($"'{hash}' is not a content hash.", nameof(hash));
}
