using System.Buffers;
using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>Forwards every call to an inner store; fault injectors override what they disturb.</summary>
public abstract class DelegatingObjectStore(IObjectStore inner) : IObjectStore
{
    protected IObjectStore Inner { get; } = inner;

    public virtual Task<MultipartUploadId> InitiateMultipartUploadAsync(ObjectDestination destination, CancellationToken cancellationToken) =>
        Inner.InitiateMultipartUploadAsync(destination, cancellationToken);

    public virtual Task<string> UploadPartAsync(MultipartUploadId upload, int partNumber, ReadOnlySequence<byte> content, string contentMd5, CancellationToken cancellationToken) =>
        Inner.UploadPartAsync(upload, partNumber, content, contentMd5, cancellationToken);

    public virtual Task<string> CompleteMultipartUploadAsync(MultipartUploadId upload, IReadOnlyList<UploadedPart> parts, CancellationToken cancellationToken) =>
        Inner.CompleteMultipartUploadAsync(upload, parts, cancellationToken);

    public virtual Task AbortMultipartUploadAsync(MultipartUploadId upload, CancellationToken cancellationToken) =>
        Inner.AbortMultipartUploadAsync(upload, cancellationToken);

    public Task<string> UploadPartCopyAsync(MultipartUploadId upload, int partNumber, string sourceKey, long firstByte, long lastByte, string? sourceIfMatchETag, CancellationToken cancellationToken) =>
        Inner.UploadPartCopyAsync(upload, partNumber, sourceKey, firstByte, lastByte, sourceIfMatchETag, cancellationToken);

    public IAsyncEnumerable<IncompleteUpload> ListMultipartUploadsAsync(string bucket, string prefix, int pageSize, CancellationToken cancellationToken) =>
        Inner.ListMultipartUploadsAsync(bucket, prefix, pageSize, cancellationToken);

    public IAsyncEnumerable<UploadedPart> ListPartsAsync(MultipartUploadId upload, int pageSize, CancellationToken cancellationToken) =>
        Inner.ListPartsAsync(upload, pageSize, cancellationToken);

    public Task<string> PutObjectAsync(ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Inner.PutObjectAsync(destination, content, cancellationToken);

    public virtual Task<StoredObject?> HeadObjectAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Inner.HeadObjectAsync(bucket, key, cancellationToken);

    public virtual Task<int> GetRangeAsync(string bucket, string key, long offset, Memory<byte> destination, string? ifMatchETag, CancellationToken cancellationToken) =>
        Inner.GetRangeAsync(bucket, key, offset, destination, ifMatchETag, cancellationToken);

    public IAsyncEnumerable<ObjectSummary> ListObjectsAsync(string bucket, string prefix, int pageSize, CancellationToken cancellationToken) =>
        Inner.ListObjectsAsync(bucket, prefix, pageSize, cancellationToken);

    public Task<IReadOnlyDictionary<string, string>> GetObjectTagsAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Inner.GetObjectTagsAsync(bucket, key, cancellationToken);

    public Task PutObjectTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken) =>
        Inner.PutObjectTagsAsync(bucket, key, tags, cancellationToken);

    public Task DeleteObjectAsync(string bucket, string key, CancellationToken cancellationToken) =>
        Inner.DeleteObjectAsync(bucket, key, cancellationToken);

    public virtual Task SetRetentionAsync(string bucket, string key, ObjectRetention retention, CancellationToken cancellationToken) =>
        Inner.SetRetentionAsync(bucket, key, retention, cancellationToken);

    public virtual Task SetLegalHoldAsync(string bucket, string key, bool on, CancellationToken cancellationToken) =>
        Inner.SetLegalHoldAsync(bucket, key, on, cancellationToken);

    public virtual Task<PutIfAbsentResult> PutIfAbsentAsync(ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Inner.PutIfAbsentAsync(destination, content, cancellationToken);

    public virtual Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string bucket, string key, int pageSize, CancellationToken cancellationToken) =>
        Inner.ListVersionsAsync(bucket, key, pageSize, cancellationToken);

    public virtual Task<byte[]> GetVersionAsync(string bucket, string key, string? versionId, long maxSizeBytes, CancellationToken cancellationToken) =>
        Inner.GetVersionAsync(bucket, key, versionId, maxSizeBytes, cancellationToken);

    public Task<BucketVersioningStatus> GetBucketVersioningAsync(string bucket, CancellationToken cancellationToken) =>
        Inner.GetBucketVersioningAsync(bucket, cancellationToken);
}
