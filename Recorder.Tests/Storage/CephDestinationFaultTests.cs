using System.Diagnostics;
using Recorder.Storage;
using Recorder.Tests.Infrastructure;

namespace Recorder.Tests.Storage;

/// <summary>The destination's faults fail fast, with bucket/key and cause in the message, and never the secret.</summary>
[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CephDestinationFaultTests(CephFixture ceph)
{
    private static readonly MultipartUploadOptions Options = new() { MaxRecordingLengthBytes = 1024L * 1024 * 1024 };

    private async Task<StorageDestinationException> StartFailsFastAsync(S3ConnectionOptions connection, ObjectDestination destination)
    {
        using var client = connection.CreateClient();
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<StorageDestinationException>(
            () => MultipartUploadSink.StartAsync(new S3ObjectStore(client), destination, Options));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}: a destination fault must not be retried");
        Assert.Contains(destination.ToString(), e.Message);
        Assert.DoesNotContain(ceph.Options.SecretAccessKey!, e.ToString());
        return e;
    }

    [Fact]
    public async Task A_missing_bucket_fails_fast()
    {
        var e = await StartFailsFastAsync(ceph.Options, new ObjectDestination("missing-" + Guid.NewGuid().ToString("N")[..8], "rec/seg"));
        Assert.Equal("NoSuchBucket", e.ErrorCode);
        Assert.Contains("the bucket does not exist", e.Message);
    }

    [Fact]
    public async Task An_unknown_access_key_fails_fast()
    {
        var bucket = await ceph.CreateBucketAsync("badkey");
        var e = await StartFailsFastAsync(ceph.Options with { AccessKeyId = "RECORDERUNKNOWNKEY00" }, new ObjectDestination(bucket, "k"));
        Assert.Equal("InvalidAccessKeyId", e.ErrorCode);
        Assert.Equal(403, e.StatusCode);
    }

    [Fact]
    public async Task A_wrong_secret_fails_fast_without_printing_it()
    {
        var bucket = await ceph.CreateBucketAsync("badsecret");
        var e = await StartFailsFastAsync(ceph.Options with { SecretAccessKey = "wrong" + ceph.Options.SecretAccessKey![5..] },
            new ObjectDestination(bucket, "k"));
        Assert.Equal("SignatureDoesNotMatch", e.ErrorCode);
        Assert.Contains("secret access key does not match", e.Message);
    }

    [Fact]
    public async Task A_refused_KMS_key_fails_fast()
    {
        var bucket = await ceph.CreateBucketAsync("kms");
        var e = await StartFailsFastAsync(ceph.Options, new ObjectDestination(bucket, "k") { KmsKeyId = "no-such-key" });
        Assert.Contains("the KMS key was refused", e.Message);
        Assert.Contains("no-such-key", e.Message); // Ceph says InvalidAccessKeyId; its message names the key
    }

    [Fact]
    public async Task A_known_KMS_key_encrypts_and_the_bytes_come_back()
    {
        var bucket = await ceph.CreateBucketAsync("kmsok");
        var store = new S3ObjectStore(ceph.Client);
        var data = TestBytes.Random(1000, 5);
        var sink = await MultipartUploadSink.StartAsync(store, new ObjectDestination(bucket, "k") { KmsKeyId = "recorder-test-key" }, Options);
        await sink.Stream.WriteAsync(data);
        await sink.CompleteAsync();
        var back = new byte[data.Length];
        await store.GetRangeAsync(bucket, "k", 0, back, null, default);
        Assert.Equal(TestBytes.Sha256(data), TestBytes.Sha256(back));
    }
}
