namespace Pipelines.Core.Remotes;

/// <summary>
/// One entry of <c>remotes:</c> in <c>pipelines.config.yaml</c>: where a shared cache lives. Holds no secrets: S3
/// credentials come from the AWS SDK's usual chain (<c>AWS_ACCESS_KEY_ID</c>, profiles, instance roles).
/// </summary>
public sealed record RemoteConfig
{
    /// <summary>The remote's name (the key under <c>remotes:</c>).</summary>
    public required string Name { get; init; }

    /// <summary>A directory (absolute, or relative to the workspace root) or <c>s3://bucket/prefix</c>.</summary>
    public required string Url { get; init; }

    /// <summary>An S3-compatible endpoint (<c>http://127.0.0.1:4568</c>); null: AWS itself.</summary>
    public string? Endpoint { get; init; }

    /// <summary>The S3 region; null: the SDK's default, or <c>us-east-1</c> with an endpoint.</summary>
    public string? Region { get; init; }

    /// <summary>Path-style S3 addressing (<c>endpoint/bucket/key</c>); default true with an endpoint, false without.</summary>
    public bool? ForcePathStyle { get; init; }

    /// <summary>Whether the remote is an S3 bucket rather than a directory.</summary>
    public bool IsS3 => Url.StartsWith("s3://", StringComparison.OrdinalIgnoreCase);
}
