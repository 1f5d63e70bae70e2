using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Recorder.Storage;

// Conditional writes and versions: what a write-once log needs.
public sealed partial class S3ObjectStore
{
    public Task<PutIfAbsentResult> PutIfAbsentAsync(
        ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        destination.Validate();
        return Invoke("PutObject (If-None-Match)", destination.Bucket, destination.Key, async ct =>
        {
            using var body = new ReadOnlySequenceStream(new ReadOnlySequence<byte>(content));
            var request = PutRequest(destination, body, content.Span);
            request.IfNoneMatch = "*";
            try
            {
                var response = await _client.PutObjectAsync(request, ct).ConfigureAwait(false);
                return PutIfAbsentResult.Created(VersionIdOrNull(response.VersionId), response.ETag);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.PreconditionFailed)
            {
                return PutIfAbsentResult.AlreadyExists;
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.Conflict && e.ErrorCode == "ConditionalRequestConflict")
            {
                return PutIfAbsentResult.Conflict;
            }
        }, cancellationToken);
    }

    public Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string bucket, string key, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        return Invoke<IReadOnlyList<ObjectVersion>>("ListObjectVersions", bucket, key, async ct =>
        {
            // S3 lists the versions of a key newest first, in the order it stored them. That order, not
            // LastModified, is what every reader agrees on and what a later write cannot get ahead of: Ceph
            // stamps LastModified before it links the version (two racers can be listed in one order and
            // stamped in the other) and AWS lists whole seconds.
            var newestFirst = new List<ObjectVersion>();
            string? keyMarker = null, versionIdMarker = null;
            while (true)
            {
                var page = await _client.ListVersionsAsync(new ListVersionsRequest
                {
                    BucketName = bucket, Prefix = key, MaxKeys = pageSize, KeyMarker = keyMarker, VersionIdMarker = versionIdMarker,
                }, ct).ConfigureAwait(false);
                foreach (var v in page.Versions ?? [])
                {
                    // Keys sort after their prefixes: once another key shows up, this key's versions are all seen.
                    if (!string.Equals(v.Key, key, StringComparison.Ordinal))
                    {
                        newestFirst.Reverse();
                        return newestFirst;
                    }
                    newestFirst.Add(new ObjectVersion(v.Key, VersionIdOrNull(v.VersionId), v.Size ?? 0, v.ETag ?? "",
                        v.LastModified ?? DateTime.MinValue, v.IsDeleteMarker == true));
                }
                if (page.IsTruncated != true) break;
                keyMarker = page.NextKeyMarker;
                versionIdMarker = page.NextVersionIdMarker;
            }
            newestFirst.Reverse();
            return newestFirst;
        }, cancellationToken);
    }

    public Task<byte[]> GetVersionAsync(string bucket, string key, string? versionId, long maxSizeBytes, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSizeBytes);
        return Invoke("GetObject", bucket, key, async ct =>
        {
            using var response = await _client.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket, Key = key, VersionId = versionId,
            }, ct).ConfigureAwait(false);
            if (response.ContentLength > maxSizeBytes)
            {
                throw new StorageException(
                    $"s3://{bucket}/{key} (version {versionId ?? "null"}): {response.ContentLength} bytes, more than the {maxSizeBytes} allowed")
                {
                    Bucket = bucket, Key = key,
                };
            }
            var bytes = new byte[response.ContentLength];
            await response.ResponseStream.ReadExactlyAsync(bytes, ct).ConfigureAwait(false);
            return bytes;
        }, cancellationToken);
    }

    public Task<BucketVersioningStatus> GetBucketVersioningAsync(string bucket, CancellationToken cancellationToken) =>
        Invoke("GetBucketVersioning", bucket, null, async ct =>
        {
            var response = await _client.GetBucketVersioningAsync(new GetBucketVersioningRequest { BucketName = bucket }, ct)
                .ConfigureAwait(false);
            var status = response.VersioningConfig?.Status;
            if (status == VersionStatus.Enabled) return BucketVersioningStatus.Enabled;
            return status == VersionStatus.Suspended ? BucketVersioningStatus.Suspended : BucketVersioningStatus.Off;
        }, cancellationToken);

    /// <summary>S3 names the version of an unversioned write "null"; callers see a null id.</summary>
    private static string? VersionIdOrNull(string? versionId) =>
        string.IsNullOrEmpty(versionId) || versionId == "null" ? null : versionId;
}
