using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Storage;

/// <summary>
/// The local Ceph gateway really speaks S3 multipart through AWSSDK.S3 with the
/// settings S3ConnectionOptions chooses: bytes come back identical, unfinished
/// uploads are listed and can be aborted.
/// </summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CephMultipartTests(CephFixture ceph)
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task Multipart_upload_of_three_5MiB_parts_and_a_short_one_reads_back_identical()
    {
        var bucket = await ceph.CreateBucketAsync("mp");
        const string key = "host/meeting/rec/segment-0001.bin";
        int[] partSizes = [5 * MiB, 5 * MiB, 5 * MiB, 123_457];
        var data = RandomNumberGenerator.GetBytes(partSizes.Sum());

        var init = await ceph.Client.InitiateMultipartUploadAsync(bucket, key);
        var etags = new List<PartETag>();
        var offset = 0;
        for (var i = 0; i < partSizes.Length; i++)
        {
            var part = data.AsMemory(offset, partSizes[i]);
            var response = await ceph.Client.UploadPartAsync(new UploadPartRequest
            {
                BucketName = bucket,
                Key = key,
                UploadId = init.UploadId,
                PartNumber = i + 1,
                InputStream = new MemoryStream(part.ToArray()),
                MD5Digest = Convert.ToBase64String(MD5.HashData(part.Span)),
            });
            etags.Add(new PartETag(i + 1, response.ETag));
            offset += partSizes[i];
        }
        await ceph.Client.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
        {
            BucketName = bucket, Key = key, UploadId = init.UploadId, PartETags = etags,
        });

        var head = await ceph.Client.GetObjectMetadataAsync(bucket, key);
        Assert.Equal(data.Length, head.ContentLength);
        // A multipart ETag is MD5(concatenated part MD5s)-N; Ceph returns it on HEAD.
        Assert.EndsWith($"-{partSizes.Length}\"", head.ETag);

        using var get = await ceph.Client.GetObjectAsync(bucket, key);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        int n;
        while ((n = await get.ResponseStream.ReadAsync(buffer)) > 0) sha.AppendData(buffer, 0, n);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(data)), Convert.ToHexString(sha.GetHashAndReset()));

        var multipartUploads = await ceph.Client.ListMultipartUploadsAsync(bucket);
        Assert.Empty(multipartUploads.MultipartUploads ?? []);
    }

    [Fact]
    public async Task Unfinished_upload_is_listed_then_aborted()
    {
        var bucket = await ceph.CreateBucketAsync("orphan");
        const string key = "host/meeting/rec/segment-0002.bin";
        var init = await ceph.Client.InitiateMultipartUploadAsync(bucket, key);
        var part = RandomNumberGenerator.GetBytes(5 * MiB);
        await ceph.Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = key, UploadId = init.UploadId, PartNumber = 1,
            InputStream = new MemoryStream(part),
        });

        var listed = await ceph.Client.ListMultipartUploadsAsync(bucket);
        var upload = Assert.Single(listed.MultipartUploads);
        Assert.Equal(key, upload.Key);
        Assert.Equal(init.UploadId, upload.UploadId);

        var parts = await ceph.Client.ListPartsAsync(bucket, key, init.UploadId);
        var listedPart = Assert.Single(parts.Parts);
        Assert.Equal(part.Length, listedPart.Size);

        await ceph.Client.AbortMultipartUploadAsync(bucket, key, init.UploadId);

        var after = await ceph.Client.ListMultipartUploadsAsync(bucket);
        Assert.Empty(after.MultipartUploads ?? []);
        // No object appeared under the key.
        var ex = await Assert.ThrowsAsync<AmazonS3Exception>(() => ceph.Client.GetObjectMetadataAsync(bucket, key));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, ex.StatusCode);
    }

    [Fact]
    public async Task Part_with_a_wrong_Content_MD5_is_refused()
    {
        var bucket = await ceph.CreateBucketAsync("md5");
        var init = await ceph.Client.InitiateMultipartUploadAsync(bucket, "k");
        var part = RandomNumberGenerator.GetBytes(1024);
        var wrong = MD5.HashData(part);
        wrong[0] ^= 1;
        var ex = await Assert.ThrowsAsync<AmazonS3Exception>(() => ceph.Client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket, Key = "k", UploadId = init.UploadId, PartNumber = 1,
            InputStream = new MemoryStream(part), MD5Digest = Convert.ToBase64String(wrong),
        }));
        Assert.Equal("BadDigest", ex.ErrorCode);
        await ceph.Client.AbortMultipartUploadAsync(bucket, "k", init.UploadId);
    }
}
