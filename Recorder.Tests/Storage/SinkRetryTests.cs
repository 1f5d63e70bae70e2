using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Infrastructure.TestBytes;
using static Recorder.Tests.Storage.SinkTestKit;

namespace Recorder.Tests.Storage;

public sealed class SinkRetryTests
{
    [Fact]
    public async Task Transient_failures_are_retried_and_counted_and_the_bytes_arrive_intact()
    {
        var (inner, destination) = NewStore();
        // Calls 1, 2, 3 and 5 fail: part 1 needs four attempts at most.
        var store = new FlakyObjectStore(inner, call => call is 1 or 2 or 3 or 5 ? FlakyObjectStore.ServerError() : null);
        var data = Random(2 * Part + 3, 11);
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options());
        await sink.Stream.WriteAsync(data);
        await sink.CompleteAsync();

        Assert.Equal(Sha256(data), Sha256(await ReadObjectAsync(inner, "bucket", destination.Key)));
        Assert.Equal(4, sink.Progress.Retries);
        Assert.Equal(7, store.UploadPartCalls);
    }

    [Fact]
    public async Task Failures_lasting_longer_than_the_outage_window_end_in_a_clear_error()
    {
        var (inner, destination) = NewStore();
        var store = new FlakyObjectStore(inner, _ => FlakyObjectStore.ServerError());
        var options = Options() with { OutageWindow = TimeSpan.FromMilliseconds(400) };
        var sink = await MultipartUploadSink.StartAsync(store, destination, options);
        await sink.Stream.WriteAsync(new byte[Part]);

        var e = await Assert.ThrowsAsync<StorageOutageException>(() => sink.CompleteAsync());
        Assert.Contains("longer than the outage window", e.Message);
        Assert.Contains("UploadPart 1", e.Message);
        Assert.True(e.FailedAttempts > 1);
        Assert.IsType<StorageTransientException>(e.InnerException);
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task A_destination_fault_is_not_retried()
    {
        var (inner, destination) = NewStore();
        var store = new FlakyObjectStore(inner, _ => new StorageDestinationException("s3://bucket/k: UploadPart failed: AccessDenied (403)"));
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options());
        await sink.Stream.WriteAsync(new byte[Part]);
        await Assert.ThrowsAsync<StorageDestinationException>(() => sink.CompleteAsync());
        Assert.Equal(1, store.UploadPartCalls);
        Assert.Equal(0, sink.Progress.Retries);
        await sink.DisposeAsync();
    }

    [Fact]
    public async Task A_missing_bucket_fails_the_start_naming_bucket_and_key()
    {
        var store = new InMemoryObjectStore();
        var e = await Assert.ThrowsAsync<StorageDestinationException>(
            () => MultipartUploadSink.StartAsync(store, new ObjectDestination("nope", "rec/seg"), Options()));
        Assert.Contains("s3://nope/rec/seg", e.Message);
        Assert.Equal("NoSuchBucket", e.ErrorCode);
    }

    [Fact]
    public async Task Backoff_doubles_with_jitter_up_to_the_maximum()
    {
        var retry = new TransientRetry(TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        for (var i = 0; i < 20; i++)
        {
            Assert.InRange(retry.Backoff(1).TotalMilliseconds, 50, 100);
            Assert.InRange(retry.Backoff(3).TotalMilliseconds, 200, 400);
            Assert.InRange(retry.Backoff(10).TotalMilliseconds, 500, 1000);
        }
        await Task.CompletedTask;
    }
}
