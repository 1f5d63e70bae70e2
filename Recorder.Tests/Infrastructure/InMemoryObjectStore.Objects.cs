using System.Runtime.CompilerServices;
using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

// Single objects, listings, tags and the error helpers.
public sealed partial class InMemoryObjectStore
{
    public Task<string> PutObjectAsync(ObjectDestination destination, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        Task.FromResult(Put(destination, content, ifAbsent: false)!);

    /// <summary>Stores a single-PUT object and returns its ETag; with <paramref name="ifAbsent"/>, null when the key is taken.</summary>
    private string? Put(ObjectDestination destination, ReadOnlyMemory<byte> content, bool ifAbsent)
    {
        destination.Validate();
        lock (_gate)
        {
            var bucket = Bucket(destination.Bucket, destination.Key, "PutObject");
            if (ifAbsent && bucket.Objects.ContainsKey(destination.Key)) return null;
            var etag = ContentMd5.SinglePartETag(content.Span);
            bucket.Objects[destination.Key] = new FakeObject(content.ToArray(), etag, DateTimeOffset.UtcNow, destination.Metadata, destination.Tags);
            return etag;
        }
    }

    public Task<StoredObject?> HeadObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(Bucket(bucket, key, "HeadObject").Objects.TryGetValue(key, out var o)
                ? new StoredObject(bucket, key, o.Data.Length, o.ETag, o.LastModified, o.Metadata)
                : null);
        }
    }

    public Task<int> GetRangeAsync(
        string bucket, string key, long offset, Memory<byte> destination, string? ifMatchETag, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var o = Object(bucket, key, "GetObject");
            if (ifMatchETag is not null && ifMatchETag != o.ETag)
                throw Error(bucket, key, "GetObject", "PreconditionFailed", 412, "the ETag does not match");
            if (destination.Length == 0) return Task.FromResult(0);
            if (offset >= o.Data.Length) throw Error(bucket, key, "GetObject", "InvalidRange", 416, "the range is not satisfiable");
            var n = (int)Math.Min(destination.Length, o.Data.Length - offset);
            o.Data.AsSpan((int)offset, n).CopyTo(destination.Span);
            return Task.FromResult(n);
        }
    }

    public async IAsyncEnumerable<ObjectSummary> ListObjectsAsync(
        string bucket, string prefix, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var marker = "";
        while (true)
        {
            List<ObjectSummary> page;
            lock (_gate)
            {
                page = Bucket(bucket, null, "ListObjectsV2").Objects
                    .Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal) && string.CompareOrdinal(o.Key, marker) > 0)
                    .Take(pageSize + 1)
                    .Select(o => new ObjectSummary(bucket, o.Key, o.Value.Data.Length, o.Value.ETag, o.Value.LastModified)).ToList();
            }
            foreach (var o in page.Take(pageSize)) yield return o;
            if (page.Count <= pageSize) yield break;
            marker = page[pageSize - 1].Key;
            await Task.Yield();
        }
    }

    public Task<IReadOnlyDictionary<string, string>> GetObjectTagsAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(Object(bucket, key, "GetObjectTagging").Tags));
    }

    public Task PutObjectTagsAsync(string bucket, string key, IReadOnlyDictionary<string, string> tags, CancellationToken cancellationToken)
    {
        if (tags.Count > 10) throw Error(bucket, key, "PutObjectTagging", "BadRequest", 400, "more than 10 tags");
        lock (_gate)
        {
            var o = Object(bucket, key, "PutObjectTagging");
            _buckets[bucket].Objects[key] = o with { Tags = new Dictionary<string, string>(tags) };
        }
        return Task.CompletedTask;
    }

    /// <summary>A bucket without Object Lock, as S3 answers: InvalidRequest.</summary>
    public Task SetRetentionAsync(string bucket, string key, ObjectRetention retention, CancellationToken cancellationToken) =>
        throw new StorageDestinationException($"{Where(bucket, key)}: PutObjectRetention failed: InvalidRequest (400): Bucket is missing Object Lock Configuration");

    /// <summary>A bucket without Object Lock, as S3 answers: InvalidRequest.</summary>
    public Task SetLegalHoldAsync(string bucket, string key, bool on, CancellationToken cancellationToken) =>
        throw new StorageDestinationException($"{Where(bucket, key)}: PutObjectLegalHold failed: InvalidRequest (400): Bucket is missing Object Lock Configuration");

    public Task DeleteObjectAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        lock (_gate) Bucket(bucket, key, "DeleteObject").Objects.Remove(key);
        return Task.CompletedTask;
    }

    private FakeBucket Bucket(string bucket, string? key, string operation) =>
        _buckets.TryGetValue(bucket, out var b)
            ? b
            : throw new StorageDestinationException($"{Where(bucket, key)}: {operation} failed: NoSuchBucket (404): the bucket does not exist")
            {
                Bucket = bucket, Key = key, ErrorCode = "NoSuchBucket", StatusCode = 404,
            };

    private FakeUpload Upload(MultipartUploadId upload, string operation) =>
        Bucket(upload.Bucket, upload.Key, operation).Uploads.TryGetValue(upload.UploadId, out var u) && u.Destination.Key == upload.Key
            ? u
            : throw new MultipartUploadNotFoundException($"{upload}: {operation} failed: NoSuchUpload (404): the multipart upload does not exist")
            {
                Bucket = upload.Bucket, Key = upload.Key, UploadId = upload.UploadId, ErrorCode = "NoSuchUpload", StatusCode = 404,
            };

    private FakeObject Object(string bucket, string key, string operation) =>
        Bucket(bucket, key, operation).Objects.TryGetValue(key, out var o)
            ? o
            : throw Error(bucket, key, operation, "NoSuchKey", 404, "the object does not exist");

    private static StorageException Error(string bucket, string key, string operation, string code, int status, string cause)
    {
        var message = $"{Where(bucket, key)}: {operation} failed: {code} ({status}): {cause}";
        return code == "BadDigest"
            ? new StorageTransientException(message) { Bucket = bucket, Key = key, ErrorCode = code, StatusCode = status }
            : new StorageException(message) { Bucket = bucket, Key = key, ErrorCode = code, StatusCode = status };
    }

    private static string Where(string bucket, string? key) => key is null ? $"s3://{bucket}" : $"s3://{bucket}/{key}";
}
