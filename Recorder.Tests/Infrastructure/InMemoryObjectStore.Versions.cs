using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

// Conditional writes and versions, as AWS does them in a bucket that never had versioning: one "null" version per key.
public sealed partial class InMemoryObjectStore
{
    public Task<PutIfAbsentResult> PutIfAbsentAsync(ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Task.FromResult(Put(destination, content, ifAbsent: true) is { } etag ? PutIfAbsentResult.Created(null, etag) : PutIfAbsentResult.AlreadyExists);

    public Task<IReadOnlyList<ObjectVersion>> ListVersionsAsync(string bucket, string key, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(pageSize);
        lock (_gate)
        {
            IReadOnlyList<ObjectVersion> versions = Bucket(bucket, key, "ListObjectVersions").Objects.TryGetValue(key, out var o)
                ? [new ObjectVersion(key, null, o.Data.Length, o.ETag, o.LastModified, IsDeleteMarker: false)]
                : [];
            return Task.FromResult(versions);
        }
    }

    public Task<byte[]> GetVersionAsync(string bucket, string key, string? versionId, long maxSizeBytes, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (versionId is not null) throw Error(bucket, key, "GetObject", "NoSuchVersion", 404, "the version does not exist");
            var o = Object(bucket, key, "GetObject");
            if (o.Data.Length > maxSizeBytes) throw Error(bucket, key, "GetObject", "TooLarge", 0, $"{o.Data.Length} bytes, more than the {maxSizeBytes} allowed");
            return Task.FromResult(o.Data.ToArray());
        }
    }

    public Task<BucketVersioningStatus> GetBucketVersioningAsync(string bucket, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Bucket(bucket, null, "GetBucketVersioning");
            return Task.FromResult(BucketVersioningStatus.Off);
        }
    }
}
