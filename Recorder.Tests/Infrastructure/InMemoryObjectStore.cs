using System.Buffers;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Recorder.Storage;

namespace Recorder.Tests.Infrastructure;

/// <summary>
/// An <see cref="IObjectStore"/> in memory with AWS S3's semantics (not
/// Ceph's deviations), for unit and contract tests only: Content-MD5 checked
/// (BadDigest), EntityTooSmall / InvalidPart / InvalidPartOrder at completion,
/// multipart ETags, NoSuchBucket, NoSuchUpload, If-Match, paged listings.
/// The same contract tests run it and the real Ceph gateway.
/// </summary>
public sealed partial class InMemoryObjectStore : IObjectStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, FakeBucket> _buckets = new(StringComparer.Ordinal);
    private long _nextUploadId;

    private sealed class FakeBucket
    {
        public SortedDictionary<string, FakeObject> Objects { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, FakeUpload> Uploads { get; } = new(StringComparer.Ordinal);
    }

    private sealed record FakeObject(byte[] Data, string ETag, DateTimeOffset LastModified,
        IReadOnlyDictionary<string, string> Metadata, IReadOnlyDictionary<string, string> Tags);

    private sealed record FakeUpload(ObjectDestination Destination, string UploadId, DateTimeOffset Initiated, long Sequence)
    {
        public SortedDictionary<int, (byte[] Data, string ETag, string Md5)> Parts { get; } = [];
    }

    public void CreateBucket(string bucket)
    {
        lock (_gate) _buckets.TryAdd(bucket, new FakeBucket());
    }

    public Task<MultipartUploadId> InitiateMultipartUploadAsync(ObjectDestination destination, CancellationToken cancellationToken)
    {
        destination.Validate();
        lock (_gate)
        {
            var bucket = Bucket(destination.Bucket, destination.Key, "CreateMultipartUpload");
            var seq = ++_nextUploadId;
            var id = $"fake-{seq:D6}-{Guid.NewGuid():N}";
            bucket.Uploads[id] = new FakeUpload(destination, id, DateTimeOffset.UtcNow, seq);
            return Task.FromResult(new MultipartUploadId(destination.Bucket, destination.Key, id));
        }
    }

    public Task<string> UploadPartAsync(
        MultipartUploadId upload, int partNumber, ReadOnlySequence<byte> content, string contentMd5, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (partNumber is < 1 or > 10_000) throw Error(upload.Bucket, upload.Key, "UploadPart", "InvalidArgument", 400, "part number out of range");
        var data = content.ToArray();
        var md5 = MD5.HashData(data);
        if (Convert.ToBase64String(md5) != contentMd5) throw Error(upload.Bucket, upload.Key, "UploadPart", "BadDigest", 400, "Content-MD5 mismatch");
        lock (_gate)
        {
            var u = Upload(upload, "UploadPart");
            var etag = $"\"{Convert.ToHexStringLower(md5)}\"";
            u.Parts[partNumber] = (data, etag, contentMd5);
            return Task.FromResult(etag);
        }
    }

    public Task<string> CompleteMultipartUploadAsync(
        MultipartUploadId upload, IReadOnlyList<UploadedPart> parts, CancellationToken cancellationToken)
    {
        const string op = "CompleteMultipartUpload";
        lock (_gate)
        {
            var u = Upload(upload, op);
            if (parts.Count == 0) throw Error(upload.Bucket, upload.Key, op, "MalformedXML", 400, "no parts");
            for (var i = 0; i < parts.Count; i++)
            {
                if (i > 0 && parts[i].PartNumber <= parts[i - 1].PartNumber)
                    throw Error(upload.Bucket, upload.Key, op, "InvalidPartOrder", 400, "parts not ascending");
                if (!u.Parts.TryGetValue(parts[i].PartNumber, out var stored) || stored.ETag != parts[i].ETag)
                    throw Error(upload.Bucket, upload.Key, op, "InvalidPart", 400, $"part {parts[i].PartNumber} not found or ETag differs");
                if (i < parts.Count - 1 && stored.Data.Length < PartSizePlan.MinPartSizeBytes)
                    throw Error(upload.Bucket, upload.Key, op, "EntityTooSmall", 400, $"part {parts[i].PartNumber} is too small");
            }
            var chosen = parts.Select(p => u.Parts[p.PartNumber]).ToList();
            var etag = ContentMd5.MultipartETag(chosen.Select(p => p.Md5).ToList());
            var data = chosen.SelectMany(p => p.Data).ToArray();
            var bucket = Bucket(upload.Bucket, upload.Key, op);
            bucket.Objects[upload.Key] = new FakeObject(data, etag, DateTimeOffset.UtcNow, u.Destination.Metadata, u.Destination.Tags);
            bucket.Uploads.Remove(upload.UploadId);
            return Task.FromResult(etag);
        }
    }

    public Task<string> UploadPartCopyAsync(
        MultipartUploadId upload, int partNumber, string sourceKey, long firstByte, long lastByte, string? sourceIfMatchETag,
        CancellationToken cancellationToken)
    {
        byte[] slice;
        lock (_gate)
        {
            var source = Object(upload.Bucket, sourceKey, "UploadPartCopy");
            if (sourceIfMatchETag is not null && sourceIfMatchETag != source.ETag)
                throw Error(upload.Bucket, upload.Key, "UploadPartCopy", "PreconditionFailed", 412, "the source ETag does not match");
            if (firstByte < 0 || lastByte < firstByte || lastByte >= source.Data.Length)
                throw Error(upload.Bucket, upload.Key, "UploadPartCopy", "InvalidArgument", 400, "the copy range is outside the source");
            slice = source.Data[(int)firstByte..(int)(lastByte + 1)];
        }
        return UploadPartAsync(upload, partNumber, new ReadOnlySequence<byte>(slice), ContentMd5.Of(slice), cancellationToken);
    }

    public Task AbortMultipartUploadAsync(MultipartUploadId upload, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            Upload(upload, "AbortMultipartUpload");
            _buckets[upload.Bucket].Uploads.Remove(upload.UploadId);
        }
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<IncompleteUpload> ListMultipartUploadsAsync(
        string bucket, string prefix, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        (string Key, long Seq) marker = ("", 0);
        while (true)
        {
            List<FakeUpload> page;
            lock (_gate)
            {
                page = Bucket(bucket, null, "ListMultipartUploads").Uploads.Values
                    .Where(u => u.Destination.Key.StartsWith(prefix, StringComparison.Ordinal))
                    .OrderBy(u => u.Destination.Key, StringComparer.Ordinal).ThenBy(u => u.Sequence)
                    .Where(u => string.CompareOrdinal(u.Destination.Key, marker.Key) > 0
                                || (u.Destination.Key == marker.Key && u.Sequence > marker.Seq))
                    .Take(pageSize + 1).ToList();
            }
            foreach (var u in page.Take(pageSize))
                yield return new IncompleteUpload(new MultipartUploadId(bucket, u.Destination.Key, u.UploadId), u.Initiated);
            if (page.Count <= pageSize) yield break;
            marker = (page[pageSize - 1].Destination.Key, page[pageSize - 1].Sequence);
            await Task.Yield();
        }
    }

    public async IAsyncEnumerable<UploadedPart> ListPartsAsync(
        MultipartUploadId upload, int pageSize, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var marker = 0;
        while (true)
        {
            List<UploadedPart> page;
            lock (_gate)
            {
                page = Upload(upload, "ListParts").Parts.Where(p => p.Key > marker).Take(pageSize + 1)
                    .Select(p => new UploadedPart(p.Key, p.Value.ETag, p.Value.Data.Length)).ToList();
            }
            foreach (var p in page.Take(pageSize)) yield return p;
            if (page.Count <= pageSize) yield break;
            marker = page[pageSize - 1].PartNumber;
            await Task.Yield();
        }
    }
}
