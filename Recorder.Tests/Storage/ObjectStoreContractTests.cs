using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Infrastructure.TestBytes;

namespace Recorder.Tests.Storage;

/// <summary>
/// What every <see cref="IObjectStore"/> must do, run against the in-memory
/// fake and the real Ceph gateway (whose deviations <see cref="S3ObjectStore"/>
/// must hide): same bytes back, same errors in the same vocabulary.
/// </summary>
public abstract class ObjectStoreContractTests(StoreUnderTest target)
{
    protected IObjectStore Store => target.Store;

    protected Task<string> CreateBucketAsync(string purpose) => target.CreateBucketAsync(purpose);

    private static readonly CancellationToken None = CancellationToken.None;

    private async Task<UploadedPart> UploadAsync(MultipartUploadId upload, int number, byte[] data)
    {
        var md5 = ContentMd5.Of(data);
        return new UploadedPart(number, await Store.UploadPartAsync(upload, number, data, md5, None), data.Length, md5);
    }

    [Fact]
    public async Task Multipart_upload_keeps_bytes_metadata_tags_and_has_the_multipart_ETag()
    {
        var bucket = await CreateBucketAsync("contract");
        var data = Random(5 * MiB + 1234, seed: 1);
        var destination = new ObjectDestination(bucket, "rec/segment-0001.age")
        {
            Metadata = new Dictionary<string, string> { ["recording-id"] = "r-42", ["segment"] = "1" },
            Tags = new Dictionary<string, string> { ["format"] = "age", ["recipient"] = "fp-abc" },
        };
        var upload = await Store.InitiateMultipartUploadAsync(destination, None);
        var p2 = await UploadAsync(upload, 2, data[(5 * MiB)..]);
        var p1 = await UploadAsync(upload, 1, data[..(5 * MiB)]);

        var etag = await Store.CompleteMultipartUploadAsync(upload, [p1, p2], None);

        Assert.Equal(ContentMd5.MultipartETag([p1.ContentMd5!, p2.ContentMd5!]), etag);
        var head = await Store.HeadObjectAsync(bucket, destination.Key, None);
        Assert.NotNull(head);
        Assert.Equal(data.Length, head.SizeBytes);
        Assert.Equal(etag, head.ETag);
        Assert.Equal("r-42", head.Metadata["recording-id"]);
        Assert.Equal("1", head.Metadata["segment"]);
        // Tags given at initiation are not asserted here: Ceph Pacific drops them (the sink re-applies them).
        var back = new byte[data.Length];
        Assert.Equal(data.Length, await Store.GetRangeAsync(bucket, destination.Key, 0, back, etag, None));
        Assert.Equal(Sha256(data), Sha256(back));
        Assert.Empty(await Store.ListMultipartUploadsAsync(bucket, "", 10, None).ToListAsync());
    }

    [Fact]
    public async Task An_empty_single_part_gives_an_empty_object()
    {
        var bucket = await CreateBucketAsync("empty");
        var upload = await Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, "empty"), None);
        var part = await UploadAsync(upload, 1, []);
        await Store.CompleteMultipartUploadAsync(upload, [part], None);
        Assert.Equal(0, (await Store.HeadObjectAsync(bucket, "empty", None))!.SizeBytes);
    }

    [Fact]
    public async Task Completion_refuses_a_wrong_ETag_and_a_small_middle_part()
    {
        var bucket = await CreateBucketAsync("refuse");
        var upload = await Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, "k"), None);
        var small = await UploadAsync(upload, 1, Random(1000, 2));
        var last = await UploadAsync(upload, 2, Random(1000, 3));

        var tooSmall = await Assert.ThrowsAsync<StorageException>(() => Store.CompleteMultipartUploadAsync(upload, [small, last], None));
        Assert.Equal("EntityTooSmall", tooSmall.ErrorCode);
        var wrong = await Assert.ThrowsAsync<StorageException>(
            () => Store.CompleteMultipartUploadAsync(upload, [small with { ETag = "\"00000000000000000000000000000000\"" }], None));
        Assert.Equal("InvalidPart", wrong.ErrorCode);
        await Store.AbortMultipartUploadAsync(upload, None);
    }

    [Fact]
    public async Task A_part_with_a_wrong_Content_MD5_is_refused_as_BadDigest()
    {
        var bucket = await CreateBucketAsync("digest");
        var upload = await Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, "k"), None);
        var e = await Assert.ThrowsAsync<StorageTransientException>(
            () => Store.UploadPartAsync(upload, 1, Random(100, 4), ContentMd5.Of(Random(100, 5)), None));
        Assert.Equal("BadDigest", e.ErrorCode);
        await Store.AbortMultipartUploadAsync(upload, None);
    }

    [Fact]
    public async Task An_aborted_upload_is_not_found_by_ListParts_nor_by_Complete()
    {
        var bucket = await CreateBucketAsync("aborted");
        var upload = await Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, "k"), None);
        var part = await UploadAsync(upload, 1, Random(100, 6));
        await Store.AbortMultipartUploadAsync(upload, None);

        await Assert.ThrowsAsync<MultipartUploadNotFoundException>(() => Store.ListPartsAsync(upload, 10, None).ToListAsync().AsTask());
        await Assert.ThrowsAsync<MultipartUploadNotFoundException>(() => Store.CompleteMultipartUploadAsync(upload, [part], None));
        Assert.Null(await Store.HeadObjectAsync(bucket, "k", None));
    }

    [Fact]
    public async Task Listings_page_through_uploads_parts_and_objects_under_a_prefix()
    {
        var bucket = await CreateBucketAsync("paging");
        var uploads = new List<MultipartUploadId>();
        for (var i = 0; i < 5; i++)
            uploads.Add(await Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, $"a/u{i}"), None));
        var other = await Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, "b/u"), None);
        for (var n = 1; n <= 5; n++) await UploadAsync(uploads[0], n, Random(10, n));
        for (var i = 0; i < 5; i++) await Store.PutObjectAsync(new ObjectDestination(bucket, $"a/o{i}"), Random(i + 1, i), None);
        await Store.PutObjectAsync(new ObjectDestination(bucket, "b/o"), Random(3, 9), None);

        var listedUploads = await Store.ListMultipartUploadsAsync(bucket, "a/", 2, None).ToListAsync();
        Assert.Equal(uploads.Select(u => u.UploadId).Order(), listedUploads.Select(u => u.Upload.UploadId).Order());
        var parts = await Store.ListPartsAsync(uploads[0], 2, None).ToListAsync();
        Assert.Equal([1, 2, 3, 4, 5], parts.Select(p => p.PartNumber));
        Assert.All(parts, p => Assert.Equal(10, p.SizeBytes));
        var objects = await Store.ListObjectsAsync(bucket, "a/", 2, None).ToListAsync();
        Assert.Equal(["a/o0", "a/o1", "a/o2", "a/o3", "a/o4"], objects.Select(o => o.Key));
        Assert.Equal([1L, 2, 3, 4, 5], objects.Select(o => o.SizeBytes));

        foreach (var u in uploads.Append(other)) await Store.AbortMultipartUploadAsync(u, None);
    }

    [Fact]
    public async Task Ranged_reads_return_exact_slices_and_If_Match_detects_a_replaced_object()
    {
        var bucket = await CreateBucketAsync("range");
        var data = Random(100_000, 7);
        var etag = await Store.PutObjectAsync(new ObjectDestination(bucket, "o"), data, None);
        var slice = new byte[1000];
        Assert.Equal(1000, await Store.GetRangeAsync(bucket, "o", 4321, slice, etag, None));
        Assert.Equal(Sha256(data.AsSpan(4321, 1000)), Sha256(slice));
        Assert.Equal(500, await Store.GetRangeAsync(bucket, "o", data.Length - 500, slice, null, None));
        Assert.Equal(Sha256(data.AsSpan(data.Length - 500)), Sha256(slice.AsSpan(0, 500)));

        await Store.PutObjectAsync(new ObjectDestination(bucket, "o"), Random(100_000, 8), None);
        var changed = await Assert.ThrowsAsync<StorageException>(() => Store.GetRangeAsync(bucket, "o", 0, slice, etag, None));
        Assert.Equal(412, changed.StatusCode);
    }

    [Fact]
    public async Task Tags_can_be_replaced_and_a_missing_object_heads_to_null()
    {
        var bucket = await CreateBucketAsync("tags");
        await Store.PutObjectAsync(new ObjectDestination(bucket, "o") { Tags = new Dictionary<string, string> { ["a"] = "1" } }, Random(10, 1), None);
        await Store.PutObjectTagsAsync(bucket, "o", new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }, None);
        Assert.Equal("2", (await Store.GetObjectTagsAsync(bucket, "o", None))["b"]);
        Assert.Null(await Store.HeadObjectAsync(bucket, "missing", None));
    }

    [Fact]
    public async Task Put_if_absent_stores_once_and_a_second_put_finds_the_key_taken()
    {
        var bucket = await CreateBucketAsync("ifnone");
        var first = Random(300, 11);

        var created = await Store.PutIfAbsentAsync(new ObjectDestination(bucket, "log/k"), first, None);
        var again = await Store.PutIfAbsentAsync(new ObjectDestination(bucket, "log/k"), Random(300, 12), None);

        Assert.Equal(PutIfAbsentOutcome.Created, created.Outcome);
        Assert.Null(created.VersionId); // a bucket that never had versioning
        Assert.Equal(ContentMd5.SinglePartETag(first), created.ETag);
        Assert.Equal(PutIfAbsentOutcome.AlreadyExists, again.Outcome);
        Assert.Equal(Sha256(first), Sha256(await Store.GetVersionAsync(bucket, "log/k", null, 1000, None)));
        await Store.PutObjectAsync(new ObjectDestination(bucket, "log/k2"), Random(5, 13), None); // shares the prefix "log/k"
        var version = Assert.Single(await Store.ListVersionsAsync(bucket, "log/k", 1, None));
        Assert.Equal(("log/k", (string?)null, 300L, created.ETag, false),
            (version.Key, version.VersionId, version.SizeBytes, version.ETag, version.IsDeleteMarker));
        Assert.Empty(await Store.ListVersionsAsync(bucket, "log/none", 10, None));
        Assert.Equal(BucketVersioningStatus.Off, await Store.GetBucketVersioningAsync(bucket, None));
        var tooLarge = await Assert.ThrowsAsync<StorageException>(() => Store.GetVersionAsync(bucket, "log/k", null, 299, None));
        Assert.Contains("300 bytes, more than the 299 allowed", tooLarge.Message);
    }

    [Fact]
    public async Task A_missing_bucket_is_the_destinations_fault_and_is_named()
    {
        var bucket = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8];
        var e = await Assert.ThrowsAsync<StorageDestinationException>(
            () => Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, "k/seg"), None));
        Assert.Equal("NoSuchBucket", e.ErrorCode);
        Assert.Contains($"s3://{bucket}/k/seg", e.Message);
        Assert.Contains("bucket does not exist", e.Message);
    }
}

public sealed class InMemoryObjectStoreContractTests() : ObjectStoreContractTests(StoreUnderTest.InMemory());

[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CephObjectStoreContractTests(CephFixture ceph) : ObjectStoreContractTests(StoreUnderTest.Ceph(ceph));
