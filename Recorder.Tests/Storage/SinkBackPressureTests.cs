using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Storage.SinkTestKit;

namespace Recorder.Tests.Storage;

/// <summary>
/// Back-pressure without sleeps: UploadPart waits on a gate the test opens, so
/// which write must wait is decided by the memory budget alone.
/// </summary>
public sealed class SinkBackPressureTests
{
    [Fact]
    public async Task A_write_waits_exactly_when_the_budget_is_spent_and_resumes_when_a_part_is_acknowledged()
    {
        var (inner, destination) = NewStore();
        var store = new GatedObjectStore(inner);
        var options = Options(inFlight: 1, budgetParts: 3); // 1 uploading, 1 queued, 1 filling
        var sink = await MultipartUploadSink.StartAsync(store, destination, options);

        await sink.Stream.WriteAsync(new byte[Part]);       // part 1 sealed, taken by the uploader
        Assert.Equal(1, await store.NextPartAsync());
        await sink.Stream.WriteAsync(new byte[Part]);       // part 2 sealed, queued
        await sink.Stream.WriteAsync(new byte[Part - 1]);   // part 3 filling (3 buffers = budget)
        Assert.Equal(3L * Part, sink.Progress.ReservedBytes);

        var blocked = sink.Stream.WriteAsync(new byte[2]).AsTask(); // fills part 3, needs a 4th buffer
        Assert.False(blocked.IsCompleted);
        Assert.Equal(3L * Part, sink.Progress.ReservedBytes);

        store.Release(1);
        await blocked.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, await store.NextPartAsync());
        Assert.Equal(Part, sink.Progress.UploadedBytes);

        store.Release(2);
        store.Release(3);
        store.Release(4);
        var result = await sink.CompleteAsync();
        Assert.Equal(3L * Part + 1, result.LengthBytes);
        Assert.Equal(3L * Part, sink.Progress.PeakReservedBytes);
        Assert.True(sink.Progress.PeakBufferedBytes <= options.MemoryBudgetBytes);
    }

    [Fact]
    public async Task Parts_are_uploaded_in_parallel_up_to_MaxPartsInFlight_and_no_further()
    {
        var (inner, destination) = NewStore();
        var store = new GatedObjectStore(inner);
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options(inFlight: 3, budgetParts: 6));

        await sink.Stream.WriteAsync(new byte[5L * Part]);
        var arrived = new[] { await store.NextPartAsync(), await store.NextPartAsync(), await store.NextPartAsync() };
        Assert.Equal([1, 2, 3], arrived.Order());
        Assert.Equal(3, sink.Progress.PartsInFlight);
        var fourth = store.NextPartAsync();
        Assert.False(fourth.IsCompleted);

        store.Release(2);
        Assert.Equal(4, await fourth);
        foreach (var n in new[] { 1, 3, 4, 5, 6 }) store.Release(n);
        var result = await sink.CompleteAsync();
        Assert.Equal(5, result.PartCount);
    }

    [Fact]
    public async Task A_writer_waiting_for_memory_gets_the_destination_error_at_once()
    {
        var (inner, destination) = NewStore();
        var store = new GatedObjectStore(inner);
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options(inFlight: 1, budgetParts: 2));
        await sink.Stream.WriteAsync(new byte[Part]);
        Assert.Equal(1, await store.NextPartAsync());
        await sink.Stream.WriteAsync(new byte[Part]);
        var blocked = sink.Stream.WriteAsync(new byte[1]).AsTask();
        Assert.False(blocked.IsCompleted);

        store.Fail(1, new StorageDestinationException("s3://bucket/rec/seg-0001: UploadPart failed: AccessDenied (403): access denied")
        {
            ErrorCode = "AccessDenied", StatusCode = 403,
        });

        var e = await Assert.ThrowsAsync<StorageDestinationException>(() => blocked.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal("AccessDenied", e.ErrorCode);
        await Assert.ThrowsAsync<StorageDestinationException>(() => sink.CompleteAsync());
        await sink.DisposeAsync();
    }
}
