using System.Net;
using System.Runtime.CompilerServices;
using Amazon.S3;
using Amazon.S3.Model;

namespace Recorder.Storage;

// Listings, HEAD, ranged GET and tags.
public sealed partial class S3ObjectStore
{
    public async IAsyncEnumerable<IncompleteUpload> ListMultipartUploadsAsync(
        string bucket, string prefix, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        string? keyMarker = null, uploadIdMarker = null;
        while (true)
        {
            var page = await Invoke("ListMultipartUploads", bucket, null, ct => _client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest
            {
                BucketName = bucket, Prefix = prefix, MaxUploads = pageSize, KeyMarker = keyMarker, UploadIdMarker = uploadIdMarker,
            }, ct), cancellationToken).ConfigureAwait(false);
            foreach (var u in page.MultipartUploads ?? [])
                yield return new IncompleteUpload(new MultipartUploadId(bucket, u.Key, u.UploadId), u.Initiated ?? DateTime.MinValue);
            if (page.IsTruncated != true) yield break;
            keyMarker = page.NextKeyMarker;
            uploadIdMarker = page.NextUploadIdMarker;
        }
    }

    public async IAsyncEnumerable<UploadedPart> ListPartsAsync(
        MultipartUploadId upload, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        string? marker = null;
        while (true)
        {
            var page = await Invoke("ListParts", upload.Bucket, upload.Key, async ct =>
            {
                try
                {
                    return await _client.ListPartsAsync(new ListPartsRequest
                    {
                        BucketName = upload.Bucket, Key = upload.Key, UploadId = upload.UploadId, MaxParts = pageSize,
                        PartNumberMarker = marker,
                    }, ct).ConfigureAwait(false);
                }
                catch (AmazonS3Exception e) when (e.ErrorCode is "NoSuchUpload" or "NoSuchKey")
                {
                    // Ceph answers NoSuchKey for an aborted upload (AWS: NoSuchUpload).
                    throw new MultipartUploadNotFoundException($"{upload}: ListParts failed: the multipart upload does not exist", e)
                    {
                        Bucket = upload.Bucket, Key = upload.Key, UploadId = upload.UploadId, ErrorCode = e.ErrorCode,
                        StatusCode = (int)e.StatusCode,
                    };
                }
            }, cancellationToken).ConfigureAwait(false);
            foreach (var p in page.Parts ?? [])
                yield return new UploadedPart(p.PartNumber ?? 0, p.ETag, p.Size ?? 0);
            if (page.IsTruncated != true) yield break;
            marker = page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public Task<StoredObject?> HeadObjectAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Invoke("HeadObject", bucket, key, async ct =>
        {
            try
            {
                var head = await _client.GetObjectMetadataAsync(bucket, key, ct).ConfigureAwait(false);
                var metadata = head.Metadata.Keys.ToDictionary(
                    k => k.StartsWith("x-amz-meta-", StringComparison.OrdinalIgnoreCase) ? k["x-amz-meta-".Length..] : k,
                    k => head.Metadata[k], StringComparer.OrdinalIgnoreCase);
                return new StoredObject(bucket, key, head.ContentLength, head.ETag,
                    head.LastModified ?? DateTime.MinValue, metadata);
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode != "NoSuchBucket")
            {
                return null;
            }
        }, cancellationToken);

    public Task<int> GetRangeAsync(
        string bucket, string key, long offset, Memory<byte> destination, string? ifMatchETag, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (destination.Length == 0) return Task.FromResult(0);
        return Invoke("GetObject", bucket, key, async ct =>
        {
            var request = new GetObjectRequest
            {
                BucketName = bucket, Key = key, ByteRange = new ByteRange(offset, offset + destination.Length - 1),
            };
            if (ifMatchETag is not null) request.EtagToMatch = ifMatchETag;
            using var response = await _client.GetObjectAsync(request, ct).ConfigureAwait(false);
            var total = 0;
            while (total < destination.Length)
            {
                var n = await response.ResponseStream.ReadAsync(destination[total..], ct).ConfigureAwait(false);
                if (n == 0) break;
                total += n;
            }
            if (total < destination.Length && total < response.ContentLength)
                throw new IOException($"the response ended after {total} of {response.ContentLength} bytes");
            return total;
        }, cancellationToken);
    }

    public async IAsyncEnumerable<ObjectSummary> ListObjectsAsync(
        string bucket, string prefix, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        string? token = null;
        while (true)
        {
            var page = await Invoke("ListObjectsV2", bucket, null, ct => _client.ListObjectsV2Async(new ListObjectsV2Request
            {
                BucketName = bucket, Prefix = prefix, MaxKeys = pageSize, ContinuationToken = token,
            }, ct), cancellationToken).ConfigureAwait(false);
            foreach (var o in page.S3Objects ?? [])
                yield return new ObjectSummary(bucket, o.Key, o.Size ?? 0, o.ETag, o.LastModified ?? DateTime.MinValue);
            if (page.IsTruncated != true) yield break;
            token = page.NextContinuationToken;
        }
    }

    public Task<IReadOnlyDictionary<string, string>> GetObjectTagsAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Invoke<IReadOnlyDictionary<string, string>>("GetObjectTagging", bucket, key, async ct =>
        {
            var response = await _client.GetObjectTaggingAsync(new GetObjectTaggingRequest { BucketName = bucket, Key = key }, ct)
                .ConfigureAwait(false);
            return (response.Tagging ?? []).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
        }, cancellationToken);

    public Task PutObjectTagsAsync(
        string bucket, string key, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        Invoke("PutObjectTagging", bucket, key, async ct =>
        {
            await _client.PutObjectTaggingAsync(new PutObjectTaggingRequest
            {
                BucketName = bucket, Key = key, Tagging = new Tagging { TagSet = ToTagSet(tags) },
            }, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
}
