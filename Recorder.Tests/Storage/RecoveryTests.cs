using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Infrastructure.TestBytes;

namespace Recorder.Tests.Storage;

/// <summary>
/// A writer dies mid-upload (the sink abandoned after three parts); recovery
/// completes the uploaded prefix, byte for byte, tagged truncated, or aborts.
/// Run against the in-memory fake and the real Ceph gateway.
/// </summary>
public abstract class RecoveryTests(StoreUnderTest target)
{
    private const int Part = 5 * MiB;

    protected IObjectStore Store => target.Store;

    protected Task<string> CreateBucketAsync(string purpose) => target.CreateBucketAsync(purpose);

    private static readonly MultipartUploadOptions Options = new()
    {
        MaxPartsInFlight = 2, MemoryBudgetBytes = 4L * Part, MaxRecordingLengthBytes = 1024L * MiB,
        RetryInitialDelay = TimeSpan.FromMilliseconds(10), RetryMaxDelay = TimeSpan.FromMilliseconds(100),
    };

    /// <summary>Writes 3 parts and a bit, waits for the checkpoint of 3 parts, then abandons the sink.</summary>
    private async Task<(ObjectDestination Destination, byte[] Data, UploadCheckpoint Checkpoint)> AbandonAsync(string purpose)
    {
        var destination = new ObjectDestination(await CreateBucketAsync(purpose), "host/meeting/rec/segment-0001.mp4.age")
        {
            Tags = new Dictionary<string, string> { ["recording-id"] = "rec-1" },
        };
        var data = Random(3 * Part + 4321, seed: 77);
        var state = new RecordingStateStore();
        var sink = await MultipartUploadSink.StartAsync(Store, destination, Options, state);
        await sink.Stream.WriteAsync(data);
        var checkpoint = await state.WaitForAsync(c => c.Parts.Count == 3);
        await sink.DisposeAsync(); // the writer dies: no completion, no abort
        return (destination, data, checkpoint);
    }

    private async Task AssertTruncatedPrefixAsync(ObjectDestination destination, byte[] data, RecoveryResult result)
    {
        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        Assert.Equal(3L * Part, result.LengthBytes);
        Assert.Equal(3, result.PartCount);
        var head = await Store.HeadObjectAsync(destination.Bucket, destination.Key, default);
        Assert.NotNull(head);
        var back = new byte[head.SizeBytes];
        await Store.GetRangeAsync(destination.Bucket, destination.Key, 0, back, head.ETag, default);
        Assert.Equal(Sha256(data.AsSpan(0, 3 * Part)), Sha256(back));
        var tags = await Store.GetObjectTagsAsync(destination.Bucket, destination.Key, default);
        Assert.Equal("true", tags[ObjectDestination.TruncatedTagName]);
        Assert.Empty(await Store.ListMultipartUploadsAsync(destination.Bucket, "", 10, default).ToListAsync());
    }

    [Fact]
    public async Task From_the_checkpoint_the_uploaded_prefix_is_completed_and_marked_truncated()
    {
        var (destination, data, checkpoint) = await AbandonAsync("ckpt");
        var result = await new MultipartUploadRecovery(Store).RecoverAsync(checkpoint, RecoveryPolicy.CompleteTruncated);
        await AssertTruncatedPrefixAsync(destination, data, result);
        Assert.Equal("rec-1", (await Store.GetObjectTagsAsync(destination.Bucket, destination.Key, default))["recording-id"]);
    }

    [Fact]
    public async Task By_listing_without_a_checkpoint_the_prefix_is_completed_too()
    {
        var (destination, data, _) = await AbandonAsync("listing");
        var results = await new MultipartUploadRecovery(Store, new RecoveryOptions { ListPageSize = 2 })
            .RecoverAllAsync(destination.Bucket, "host/", TimeSpan.Zero, RecoveryPolicy.CompleteTruncated).ToListAsync();
        await AssertTruncatedPrefixAsync(destination, data, Assert.Single(results));
    }

    [Fact]
    public async Task The_abort_policy_leaves_neither_object_nor_upload()
    {
        var (destination, _, checkpoint) = await AbandonAsync("abort");
        var result = await new MultipartUploadRecovery(Store).RecoverAsync(checkpoint, RecoveryPolicy.Abort);
        Assert.Equal(RecoveryOutcome.Aborted, result.Outcome);
        Assert.Null(await Store.HeadObjectAsync(destination.Bucket, destination.Key, default));
        Assert.Empty(await Store.ListMultipartUploadsAsync(destination.Bucket, "", 10, default).ToListAsync());
    }

    [Fact]
    public async Task An_upload_aborted_meanwhile_is_reported_gone()
    {
        var (_, _, checkpoint) = await AbandonAsync("gone");
        await Store.AbortMultipartUploadAsync(checkpoint.Upload, default);
        var recovery = new MultipartUploadRecovery(Store);
        Assert.Equal(RecoveryOutcome.AlreadyGone, (await recovery.RecoverAsync(checkpoint, RecoveryPolicy.CompleteTruncated)).Outcome);
        Assert.Equal(RecoveryOutcome.AlreadyGone, (await recovery.RecoverAsync(checkpoint.Upload, RecoveryPolicy.CompleteTruncated)).Outcome);
    }

    [Fact]
    public async Task An_upload_completed_before_its_checkpoint_said_so_is_recognised_by_its_ETag()
    {
        var destination = new ObjectDestination(await CreateBucketAsync("done"), "k");
        var state = new RecordingStateStore();
        var sink = await MultipartUploadSink.StartAsync(Store, destination, Options, state);
        await sink.Stream.WriteAsync(Random(Part + 10, 3));
        var completed = await sink.CompleteAsync();
        var stale = state.Saved.Last(c => c.Status == UploadCheckpointStatus.Uploading && c.Parts.Count == 2);

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(stale, RecoveryPolicy.CompleteTruncated);
        Assert.Equal(RecoveryOutcome.AlreadyCompleted, result.Outcome);
        Assert.Equal(completed.ETag, result.ETag);
    }

    [Fact]
    public async Task Only_the_parts_before_the_first_gap_are_used()
    {
        var bucket = await CreateBucketAsync("gap");
        var upload = await Store.InitiateMultipartUploadAsync(new ObjectDestination(bucket, "k"), default);
        var data = Random(3 * Part, 9);
        foreach (var n in new[] { 1, 2, 4 })
        {
            var slice = data.AsMemory((n - 1) % 3 * Part, Part);
            await Store.UploadPartAsync(upload, n, slice, ContentMd5.Of(slice.Span), default);
        }
        var result = await new MultipartUploadRecovery(Store).RecoverAsync(upload, RecoveryPolicy.CompleteTruncated);
        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        Assert.Equal([4], result.DiscardedPartNumbers);
        var head = (await Store.HeadObjectAsync(bucket, "k", default))!;
        Assert.Equal(2L * Part, head.SizeBytes);
        var back = new byte[head.SizeBytes];
        await Store.GetRangeAsync(bucket, "k", 0, back, head.ETag, default);
        Assert.Equal(Sha256(data.AsSpan(0, 2 * Part)), Sha256(back));
        Assert.Equal("true", (await Store.GetObjectTagsAsync(bucket, "k", default))[ObjectDestination.TruncatedTagName]);
    }

    [Fact]
    public async Task A_checkpoint_that_lags_behind_the_server_still_gives_a_byte_exact_prefix()
    {
        var (destination, data, _) = await AbandonAsync("lag");
        var older = new UploadCheckpoint
        {
            Destination = destination, UploadId = (await Store.ListMultipartUploadsAsync(destination.Bucket, "", 10, default).SingleAsync()).Upload.UploadId,
            Status = UploadCheckpointStatus.Uploading, Parts = [],
        };
        var parts = await Store.ListPartsAsync(older.Upload, 10, default).ToListAsync();
        older = older with { Parts = parts.Take(2).ToList() };

        var result = await new MultipartUploadRecovery(Store).RecoverAsync(older, RecoveryPolicy.CompleteTruncated);
        Assert.Equal(RecoveryOutcome.CompletedTruncated, result.Outcome);
        Assert.Contains(result.LengthBytes, new[] { 2L * Part, 3L * Part }); // AWS takes the checkpoint's two; Ceph needs all three
        var back = new byte[result.LengthBytes];
        await Store.GetRangeAsync(destination.Bucket, destination.Key, 0, back, null, default);
        Assert.Equal(Sha256(data.AsSpan(0, (int)result.LengthBytes)), Sha256(back));
    }
}

public sealed class InMemoryRecoveryTests() : RecoveryTests(StoreUnderTest.InMemory());

[Collection(CephCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CephRecoveryTests(CephFixture ceph) : RecoveryTests(StoreUnderTest.Ceph(ceph));
