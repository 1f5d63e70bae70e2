using Recorder.Storage;
using Recorder.Tests.Infrastructure;
using static Recorder.Tests.Infrastructure.TestBytes;
using static Recorder.Tests.Storage.SinkTestKit;

namespace Recorder.Tests.Storage;

public sealed class MultipartUploadSinkTests
{
    public static TheoryData<int, int> Grid()
    {
        var data = new TheoryData<int, int>();
        foreach (var length in new[] { 0, 1, Part - 1, Part, Part + 1, 2 * Part + 500 })
            foreach (var write in new[] { 65_536, MiB + 7 })
                data.Add(length, write);
        data.Add(3000, 1);
        return data;
    }

    [Theory]
    [MemberData(nameof(Grid))]
    public async Task Stream_of_any_length_arrives_byte_identical_in_parts_of_the_planned_size(int length, int writeSize)
    {
        var (store, destination) = NewStore();
        var data = Random(length, seed: length ^ writeSize);
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options());
        for (var offset = 0; offset < length; offset += writeSize)
            await sink.Stream.WriteAsync(data.AsMemory(offset, Math.Min(writeSize, length - offset)));
        var result = await sink.CompleteAsync();

        Assert.Equal(Sha256(data), Sha256(await ReadObjectAsync(store, destination.Bucket, destination.Key)));
        Assert.Equal(length, result.LengthBytes);
        Assert.Equal(Math.Max(1, (length + Part - 1) / Part), result.PartCount);
        Assert.Equal((await store.HeadObjectAsync("bucket", destination.Key, default))!.ETag, result.ETag);
        Assert.Equal(length, sink.Progress.UploadedBytes);
        Assert.Equal(0, sink.Progress.BufferedBytes);
    }

    [Fact]
    public async Task Synchronous_writes_work_for_synchronous_writers()
    {
        var (store, destination) = NewStore();
        var data = Random(2 * Part + 77, seed: 3);
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options());
        for (var offset = 0; offset < data.Length; offset += 65_552)
            sink.Stream.Write(data, offset, Math.Min(65_552, data.Length - offset));
        sink.Stream.Dispose(); // disposing the stream must not complete or break the upload
        await sink.CompleteAsync();
        Assert.Equal(Sha256(data), Sha256(await ReadObjectAsync(store, "bucket", destination.Key)));
    }

    [Fact]
    public async Task Metadata_and_tags_reach_the_object()
    {
        var (store, _) = NewStore();
        var destination = new ObjectDestination("bucket", "k")
        {
            Metadata = new Dictionary<string, string> { ["recording-id"] = "r1" },
            Tags = new Dictionary<string, string> { ["segment"] = "1" },
        };
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options());
        await sink.Stream.WriteAsync(Random(10, 1));
        await sink.CompleteAsync();
        Assert.Equal("r1", (await store.HeadObjectAsync("bucket", "k", default))!.Metadata["recording-id"]);
        Assert.Equal("1", (await store.GetObjectTagsAsync("bucket", "k", default))["segment"]);
    }

    [Fact]
    public async Task A_checkpoint_follows_every_part_and_the_last_says_completed()
    {
        var (store, destination) = NewStore();
        var state = new RecordingStateStore();
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options(), state);
        await sink.Stream.WriteAsync(Random(3 * Part + 10, 4));
        var result = await sink.CompleteAsync();

        var saved = state.Saved;
        Assert.Equal(UploadCheckpointStatus.Uploading, saved[0].Status);
        Assert.Empty(saved[0].Parts);
        Assert.Equal(6, saved.Count); // initiate, 4 parts, completed
        for (var i = 1; i < saved.Count; i++) Assert.True(saved[i].Parts.Count >= saved[i - 1].Parts.Count);
        var last = saved[^1];
        Assert.Equal(UploadCheckpointStatus.Completed, last.Status);
        Assert.Equal(result.UploadId, last.UploadId);
        Assert.Equal([1, 2, 3, 4], last.Parts.Select(p => p.PartNumber));
        Assert.Equal(3 * Part + 10, last.Parts.Sum(p => p.SizeBytes));
        Assert.All(last.Parts, p => Assert.NotNull(p.ContentMd5));
    }

    [Fact]
    public async Task A_checkpoint_survives_a_JSON_round_trip()
    {
        var checkpoint = new UploadCheckpoint
        {
            Destination = new ObjectDestination("bucket", "k") { Tags = new Dictionary<string, string> { ["a"] = "b" } },
            UploadId = "u1", Status = UploadCheckpointStatus.Uploading,
            Parts = [new UploadedPart(1, "\"e1\"", Part, "md5==")],
        };
        var json = System.Text.Json.JsonSerializer.Serialize(checkpoint);
        var back = System.Text.Json.JsonSerializer.Deserialize<UploadCheckpoint>(json)!;
        Assert.Equal(checkpoint.Upload, back.Upload);
        Assert.Equal(checkpoint.Parts, back.Parts);
        Assert.Equal("b", back.Destination.Tags["a"]);
    }

    [Fact]
    public async Task Abort_removes_the_upload_and_later_writes_fail()
    {
        var (store, destination) = NewStore();
        var state = new RecordingStateStore();
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options(), state);
        await sink.Stream.WriteAsync(Random(Part + 1, 5));
        await sink.AbortAsync();

        Assert.Empty(await store.ListMultipartUploadsAsync("bucket", "", 10, default).ToListAsync());
        Assert.Null(await store.HeadObjectAsync("bucket", destination.Key, default));
        Assert.Equal(UploadCheckpointStatus.Aborted, state.Last!.Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => sink.Stream.WriteAsync(new byte[1]).AsTask());
    }

    [Fact]
    public async Task Writing_past_the_maximum_length_fails_before_accepting_the_bytes()
    {
        var (store, destination) = NewStore();
        var sink = await MultipartUploadSink.StartAsync(store, destination, Options() with { MaxRecordingLengthBytes = 6 * MiB });
        await sink.Stream.WriteAsync(new byte[6 * MiB]);
        var e = await Assert.ThrowsAsync<StorageException>(() => sink.Stream.WriteAsync(new byte[1]).AsTask());
        Assert.Contains("MaxRecordingLengthBytes", e.Message);
        Assert.Equal(6 * MiB, sink.Progress.AcceptedBytes);
        await sink.AbortAsync();
    }
}
