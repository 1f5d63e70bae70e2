using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Infrastructure.TestBytes;

namespace Recorder.Tests.Storage;

/// <summary>Seekable ranged reads and audit listings, against the in-memory fake and Ceph.</summary>
public abstract class ReadAndListTests(StoreUnderTest target)
{
    protected IObjectStore Store => target.Store;

    protected Task<string> CreateBucketAsync(string purpose) => target.CreateBucketAsync(purpose);

    private static readonly SeekableReadOptions SmallBlocks = new() { BlockSizeBytes = 64 * 1024, ReadAheadBlocks = 3 };

    [Fact]
    public async Task Random_ranges_match_the_source_bytes()
    {
        var bucket = await CreateBucketAsync("ranges");
        var data = Random(3 * MiB + 17, 21);
        await Store.PutObjectAsync(new ObjectDestination(bucket, "o"), data, default);
        await using var stream = await S3SeekableReadStream.OpenAsync(Store, bucket, "o", SmallBlocks);
        Assert.True(stream.CanSeek);
        Assert.Equal(data.Length, stream.Length);

        var random = new Random(5);
        for (var i = 0; i < 60; i++)
        {
            var offset = random.Next(data.Length);
            var length = Math.Min(random.Next(1, 300_000), data.Length - offset);
            stream.Position = offset;
            var buffer = new byte[length];
            await stream.ReadExactlyAsync(buffer);
            Assert.Equal(Sha256(data.AsSpan(offset, length)), Sha256(buffer));
        }

        stream.Seek(-5, SeekOrigin.End);
        var tail = new byte[10];
        Assert.Equal(5, await stream.ReadAtLeastAsync(tail, 10, throwOnEndOfStream: false));
        Assert.Equal(0, await stream.ReadAsync(tail));
        stream.Position = 0;
        Assert.Equal(Sha256(data), Sha256(await ReadAllAsync(stream)));
    }

    [Fact]
    public async Task Read_ahead_runs_in_parallel_but_never_beyond_its_window()
    {
        var bucket = await CreateBucketAsync("ahead");
        var data = Random(MiB, 22);
        await Store.PutObjectAsync(new ObjectDestination(bucket, "o"), data, default);
        var probe = new ConcurrencyProbeStore(Store);
        await using var stream = await S3SeekableReadStream.OpenAsync(probe, bucket, "o", SmallBlocks);

        Assert.Equal(Sha256(data), Sha256(await ReadAllAsync(stream)));
        Assert.InRange(probe.PeakConcurrentReads, 2, SmallBlocks.ReadAheadBlocks + 1);
        Assert.Equal(16, probe.Reads); // 1 MiB in 64 KiB blocks, each fetched once
    }

    [Fact]
    public async Task Opening_a_missing_object_says_so()
    {
        var bucket = await CreateBucketAsync("missing");
        var e = await Assert.ThrowsAsync<StorageException>(() => S3SeekableReadStream.OpenAsync(Store, bucket, "nothing"));
        Assert.Equal("NoSuchKey", e.ErrorCode);
        Assert.Contains($"s3://{bucket}/nothing", e.Message);
    }

    [Fact]
    public async Task Audit_listing_pages_through_objects_with_metadata_and_tags_and_incomplete_uploads()
    {
        var bucket = await CreateBucketAsync("audit");
        for (var i = 0; i < 5; i++)
        {
            await Store.PutObjectAsync(new ObjectDestination(bucket, $"host/m/rec/segment-{i:D4}.age")
            {
                Metadata = new Dictionary<string, string> { ["segment"] = i.ToString() },
                Tags = new Dictionary<string, string> { ["recording-id"] = "rec" },
            }, Random(100 + i, i), default);
        }
        await Store.PutObjectAsync(new ObjectDestination(bucket, "other/x"), Random(1, 1), default);
        var uploads = new List<MultipartUploadId>();
        for (var i = 0; i < 3; i++)
        {
            var upload = await Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, $"host/m/rec/open-{i}"), default);
            var part = Random(1000 * (i + 1), i);
            await Store.UploadPartAsync(upload, 1, part, ContentMd5.Of(part), default);
            uploads.Add(upload);
        }

        var listing = new BucketAuditListing(Store, pageSize: 2);
        var objects = await listing.ListObjectsAsync(bucket, "host/").ToListAsync();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"host/m/rec/segment-{i:D4}.age"), objects.Select(o => o.Summary.Key));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => i.ToString()), objects.Select(o => o.Metadata["segment"]));
        Assert.All(objects, o => Assert.Equal("rec", o.Tags["recording-id"]));
        Assert.All(objects, o => Assert.False(o.IsMarkedTruncated));

        var open = await listing.ListIncompleteUploadsAsync(bucket, "host/").ToListAsync();
        Assert.Equal(uploads.Select(u => u.UploadId).Order(), open.Select(o => o.Upload.Upload.UploadId).Order());
        Assert.Equal([1000L, 2000, 3000], open.OrderBy(o => o.Upload.Upload.Key).Select(o => o.SizeBytes!.Value));
        foreach (var u in uploads) await Store.AbortMultipartUploadAsync(u, default);
    }
}

public sealed class InMemoryReadAndListTests() : ReadAndListTests(StoreUnderTest.InMemory());

[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CephReadAndListTests(CephFixture ceph) : ReadAndListTests(StoreUnderTest.Ceph(ceph));
