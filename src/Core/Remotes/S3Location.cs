using System.Diagnostics.CodeAnalysis;

namespace Pipelines.Core.Remotes;

/// <summary>A bucket and key prefix parsed from <c>s3://bucket/prefix</c> (the prefix without slashes at its ends).</summary>
public readonly record struct S3Location(string Bucket, string Prefix)
{
    /// <summary>Parses <c>s3://bucket</c> or <c>s3://bucket/some/prefix</c>.</summary>
    public static bool TryParse(string url, [NotNullWhen(true)] out S3Location? location)
    {
        location = null;
        if (!url.StartsWith("s3://", StringComparison.OrdinalIgnoreCase)) return false;
        string rest = url[5..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string bucket = slash < 0 ? rest : rest[..slash];
        string prefix = slash < 0 ? "" : rest[(slash + 1)..].Trim('/');
        // Bucket names are 3-63 lower-case letters, digits, '-' and '.' (S3's rule).
        if (bucket.Length is < 3 or > 63 || !bucket.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '-' or '.')) return false;
        location = new S3Location(bucket, prefix);
        return true;
    }

    /// <summary>The full key of a path under the prefix.</summary>
    public string Key(string relative) => Prefix.Length == 0 ? relative : Prefix + "/" + relative;
}
