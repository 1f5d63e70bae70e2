using System.Buffers;

namespace Recorder.Storage;

/// <summary>
/// The S3 operations the recorder needs, with one error vocabulary: every
/// implementation throws <see cref="StorageTransientException"/> for a failure
/// worth retrying, <see cref="StorageDestinationException"/> for the
/// destination's fault, <see cref="MultipartUploadNotFoundException"/> for an
/// upload that is gone and <see cref="StorageException"/> for the rest. One
/// call is one attempt: retry policy lives with the callers
/// (<see cref="MultipartUploadSink"/>, <see cref="S3SeekableReadStream"/>,
/// <see cref="MultipartUploadRecovery"/>), which know their outage window.
/// </summary>
public interface IObjectStore
{
    Task<MultipartUploadId> InitiateMultipartUploadAsync(ObjectDestination destination, CancellationToken cancellationToken);

    /// <summary>
    /// Uploads one part from memory (one buffer or several blocks) with its Content-MD5 (base64); returns
    /// the part's ETag. The content is only read, and not after the returned task ends.
    /// </summary>
    Task<string> UploadPartAsync(
        MultipartUploadId upload, int partNumber, ReadOnlySequence<byte> content, string contentMd5, CancellationToken cancellationToken);

    /// <summary>Completes the upload with these parts (ascending part numbers); returns the object's ETag.</summary>
    Task<string> CompleteMultipartUploadAsync(
        MultipartUploadId upload, IReadOnlyList<UploadedPart> parts, CancellationToken cancellationToken);

    Task AbortMultipartUploadAsync(MultipartUploadId upload, CancellationToken cancellationToken);

    /// <summary>
    /// UploadPartCopy: bytes <paramref name="firstByte"/>..<paramref name="lastByte"/> (inclusive) of
    /// <paramref name="sourceKey"/> in the same bucket become part <paramref name="partNumber"/>, copied by the
    /// server. With <paramref name="sourceIfMatchETag"/>, a changed source fails (412). Returns the part's ETag.
    /// </summary>
    Task<string> UploadPartCopyAsync(
        MultipartUploadId upload, int partNumber, string sourceKey, long firstByte, long lastByte, string? sourceIfMatchETag,
        CancellationToken cancellationToken);

    /// <summary>Incomplete uploads whose key starts with <paramref name="prefix"/>, fetched <paramref name="pageSize"/> at a time.</summary>
    IAsyncEnumerable<IncompleteUpload> ListMultipartUploadsAsync(
        string bucket, string prefix, int pageSize, CancellationToken cancellationToken);

    /// <summary>The parts S3 holds for an upload, ascending, fetched <paramref name="pageSize"/> at a time.</summary>
    IAsyncEnumerable<UploadedPart> ListPartsAsync(MultipartUploadId upload, int pageSize, CancellationToken cancellationToken);

    /// <summary>A small object in one request (a manifest, an audit entry), with Content-MD5; returns its ETag.</summary>
    Task<string> PutObjectAsync(ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>HEAD: size, ETag, metadata; null when there is no such object.</summary>
    Task<StoredObject?> HeadObjectAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>
    /// Ranged GET of up to <c>destination.Length</c> bytes from <paramref name="offset"/> (which must lie
    /// inside the object); returns the count read, less only at the object's end. With
    /// <paramref name="ifMatchETag"/>, a changed object fails (412) instead of mixing versions.
    /// </summary>
    Task<int> GetRangeAsync(
        string bucket, string key, long offset, Memory<byte> destination, string? ifMatchETag, CancellationToken cancellationToken);

    /// <summary>Objects whose key starts with <paramref name="prefix"/>, in key order, fetched <paramref name="pageSize"/> at a time.</summary>
    IAsyncEnumerable<ObjectSummary> ListObjectsAsync(string bucket, string prefix, int pageSize, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<string, string>> GetObjectTagsAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Replaces the object's tag set.</summary>
    Task PutObjectTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken);

    Task DeleteObjectAsync(string bucket, string key, CancellationToken cancellationToken);

    /// <summary>Puts the current version of an object under an Object Lock legal hold, or releases it (the bucket must have Object Lock on).</summary>
    Task SetLegalHoldAsync(string bucket, string key, bool on, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the current version's Object Lock retention (only ever extended; COMPLIANCE cannot be shortened). Needed
    /// after a multipart upload on Ceph, which ignores the retention given when the upload is created.
    /// </summary>
    Task SetRetentionAsync(string bucket, string key, ObjectRetention retention, CancellationToken cancellationToken);

    /// <summary>
    /// A small object in one request with <c>If-None-Match: *</c> and Content-MD5: 412 is
    /// <see cref="PutIfAbsentOutcome.AlreadyExists"/>, AWS's 409 ConditionalRequestConflict is
    /// <see cref="PutIfAbsentOutcome.Conflict"/>. Not a lock on every server: Ceph ignores the condition in a
    /// versioned or Object Lock bucket and adds a version (<see cref="WriteOnceLog"/> decides by the oldest version).
    /// </summary>
    Task<PutIfAbsentResult> PutIfAbsentAsync(ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>
    /// Every version of exactly <paramref name="key"/> (delete markers included), oldest first in the order the
    /// server stored them, fetched <paramref name="pageSize"/> at a time. Empty when the key never existed.
    /// </summary>
    Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string bucket, string key, int pageSize, CancellationToken cancellationToken);

    /// <summary>
    /// The whole content of one version of a small object (<paramref name="versionId"/> null: the object of a
    /// bucket without versioning); a version larger than <paramref name="maxSizeBytes"/> is refused.
    /// </summary>
    Task<byte[]> GetVersionAsync(string bucket, string key, string? versionId, long maxSizeBytes, CancellationToken cancellationToken);

    Task<BucketVersioningStatus> GetBucketVersioningAsync(string bucket, CancellationToken cancellationToken);
}

public static class ObjectStoreExtensions
{
    /// <summary>Uploads one part from one buffer: <see cref="IObjectStore.UploadPartAsync"/>.</summary>
    public static Task<string> UploadPartAsync(
        this IObjectStore store, MultipartUploadId upload, int partNumber, ReadOnlyMemory<byte> content, string contentMd5,
        CancellationToken cancellationToken) =>
        store.UploadPartAsync(upload, partNumber, new ReadOnlySequence<byte>(content), contentMd5, cancellationToken);

    /// <summary>
    /// The first <paramref name="sizeBytes"/> bytes of a small object (a manifest, a tail piece) in one buffer, by ranged GETs;
    /// shorter when the object ends sooner.
    /// </summary>
    public static async Task<byte[]> ReadAllAsync(
        this IObjectStore store, string bucket, string key, long sizeBytes, string? ifMatchETag, CancellationToken cancellationToken)
    {
        var bytes = new byte[sizeBytes];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = await store.GetRangeAsync(bucket, key, read, bytes.AsMemory(read), ifMatchETag, cancellationToken).ConfigureAwait(false);
            if (n == 0) return bytes[..read];
            read += n;
        }
        return bytes;
    }
}
