using System.Net;
using System.Runtime.CompilerServices;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Pipelines.Core.Remotes;

/// <summary>
/// A remote in an S3 bucket (or an S3-compatible server): keys <c>PREFIX/blobs/ab/cdef…</c> and
/// <c>PREFIX/runs/FP.json</c>. A PutObject is atomic by S3's semantics (a reader sees the whole object or none), so
/// no temp key is needed. Credentials come from the SDK's chain, never from the workspace config.
/// </summary>
public sealed class S3Remote : IRemoteStore, IDisposable
{
    private readonly IAmazonS3 _client;
    private readonly S3Location _location;

    /// <summary>Creates the remote over a client the caller configured (tests count its requests).</summary>
    public S3Remote(IAmazonS3 client, S3Location location)
    {
        _client = client;
        _location = location;
    }

    /// <summary>Creates the remote a config entry describes.</summary>
    public static S3Remote Create(RemoteConfig config)
    {
        if (!S3Location.TryParse(config.Url, out var location)) throw new ArgumentException($"'{config.Url}' is not an s3:// URL.", nameof(config));
        try
        {
            return new S3Remote(new AmazonS3Client(ClientConfig(config)), location.Value);
        }
        catch (AmazonClientException ex) // no region anywhere, an unknown region name
        {
            throw new RemoteUnavailableException($"remote {config.Url}: {ex.Message.Split('\n')[0].Trim()} (set 'region' in {Caching.WorkspaceConfig.FileName} or AWS_REGION).", ex);
        }
    }

    /// <summary>
    /// The SDK settings for a remote. Checksums only "when required" and (on each put) no chunked encoding: S3-compatible
    /// servers such as s3rver reject the SDK's default trailing checksums, and the hash check after download is ours anyway.
    /// </summary>
    public static AmazonS3Config ClientConfig(RemoteConfig config)
    {
        var s3 = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            ForcePathStyle = config.ForcePathStyle ?? config.Endpoint is not null,
        };
        if (config.Endpoint is not null)
        {
            s3.ServiceURL = config.Endpoint;
            s3.AuthenticationRegion = config.Region ?? "us-east-1";
        }
        else if (config.Region is not null)
        {
            s3.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(config.Region);
        }
        return s3;
    }

    /// <inheritdoc />
    public string Location => $"s3://{_location.Bucket}/{_location.Prefix}".TrimEnd('/');

    /// <inheritdoc />
    public Task<bool> HasBlobAsync(string hash, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            try
            {
                await _client.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _location.Bucket, Key = _location.Key(RemoteLayout.Blob(hash)) }, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        });

    /// <inheritdoc />
    public Task UploadBlobAsync(string hash, string sourcePath, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _location.Bucket, Key = _location.Key(RemoteLayout.Blob(hash)), FilePath = sourcePath, UseChunkEncoding = false,
            }, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public Task<bool> DownloadBlobAsync(string hash, string targetPath, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            try
            {
                using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _location.Bucket, Key = _location.Key(RemoteLayout.Blob(hash)) }, cancellationToken).ConfigureAwait(false);
                await using var target = new FileStream(targetPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20, FileOptions.Asynchronous);
                await response.ResponseStream.CopyToAsync(target, 1 << 20, cancellationToken).ConfigureAwait(false);
                return true;
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }
        });

    /// <inheritdoc />
    public async IAsyncEnumerable<string> ListBlobsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string prefix = _location.Key("blobs/");
        string? token = null;
        do
        {
            var page = await Guard(() => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _location.Bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken)).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
                if (RemoteLayout.HashOf(item.Key[(prefix.Length - "blobs/".Length)..]) is { } hash) yield return hash;
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
    }

    /// <inheritdoc />
    public Task<byte[]?> GetRunEntryAsync(string fingerprint, CancellationToken cancellationToken = default) =>
        Guard<byte[]?>(async () =>
        {
            try
            {
                using var response = await _client.GetObjectAsync(new GetObjectRequest { BucketName = _location.Bucket, Key = _location.Key(RemoteLayout.Run(fingerprint)) }, cancellationToken).ConfigureAwait(false);
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                return buffer.ToArray();
            }
            catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }
        });

    /// <inheritdoc />
    public Task PutRunEntryAsync(string fingerprint, ReadOnlyMemory<byte> entry, CancellationToken cancellationToken = default) =>
        Guard(async () =>
        {
            using var body = new MemoryStream(entry.ToArray(), writable: false);
            await _client.PutObjectAsync(new PutObjectRequest
            {
                BucketName = _location.Bucket, Key = _location.Key(RemoteLayout.Run(fingerprint)), InputStream = body, UseChunkEncoding = false,
                ContentType = "application/json",
            }, cancellationToken).ConfigureAwait(false);
            return true;
        });

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    /// <summary>SDK failures (network, credentials, a missing bucket) become one message naming the remote.</summary>
    private async Task<T> Guard<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonServiceException ex) // a missing object was answered inside the call; this is a missing bucket, a refusal, an outage
        {
            throw new RemoteUnavailableException($"remote {Location}: {ex.ErrorCode ?? ex.StatusCode.ToString()}: {ex.Message}", ex);
        }
        catch (AmazonClientException ex) when (ex.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new RemoteUnavailableException($"remote {Location}: no AWS credentials found; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE).", ex);
        }
        catch (AmazonClientException ex)
        {
            throw new RemoteUnavailableException($"remote {Location}: {ex.Message.Split('\n')[0].Trim()}", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new RemoteUnavailableException($"remote {Location} is unreachable: {ex.Message}", ex);
        }
    }
}
